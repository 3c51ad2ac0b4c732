// The public entry point of the libtorch (TorchScript) backend. Free of libtorch's headers: the
// backend loads libtorch itself only when the first TorchScript model loads (ADR 0007).
//
// Built with libtorch (CMake INFERD_WITH_LIBTORCH, on when libtorch-dev is found), the backend
// serves Triton's `platform: "pytorch_libtorch"` / `backend: "pytorch"` models (model.pt). Built
// without, the registration still exists so that such a model fails to load saying why.
#pragma once

#include <filesystem>
#include <memory>

#include "backend/backend.h"
#include "backend/registry/backend_registry.h"

namespace inferd::backend {

// The backend over the libtorch module at `module_path` (libinferd_libtorch.so), opened on the
// first load. Name() is "pytorch".
std::unique_ptr<Backend> CreateLibTorchBackend(std::filesystem::path module_path);

// Where the server looks for libinferd_libtorch.so: <prefix>/lib/inferd/ beside an installed
// bin/inferd, else the running binary's own folder, else where this build tree made it (so tests
// and benchmarks of the build tree find it too).
std::filesystem::path DefaultLibTorchModulePath();

// Registers backend "pytorch", platform "pytorch_libtorch", file "model.pt", no auto-complete
// (TorchScript declares no types or shapes). Without libtorch in the build, its factory fails
// with the reason.
Status RegisterLibTorchBackend(BackendRegistry& registry);

}  // namespace inferd::backend
