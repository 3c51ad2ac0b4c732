// Opens libinferd_libtorch.so (and with it libtorch) once per process and returns its runtime.
// The module is never closed: libtorch's static state does not survive being unloaded.
// Thread-safe.
#pragma once

#include <filesystem>

#include "backend/libtorch/torch_runtime.h"
#include "common/status.h"

namespace inferd::backend::libtorch {

// FailedPrecondition with dlopen's reason (a missing libtorch, a missing module) or an ABI
// mismatch; the runtime otherwise, valid for the rest of the process.
StatusOr<TorchRuntime*> OpenTorchRuntime(const std::filesystem::path& module_path);

}  // namespace inferd::backend::libtorch
