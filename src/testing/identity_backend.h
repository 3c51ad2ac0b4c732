// A trivial backend registered only in tests, proving that a backend is its folder plus one
// registration: backend "identity" (platform "inferd_identity"), default model file
// "model.identity". The model file is one line of text, "<DATATYPE> <dim> <dim> ...", e.g.
// "FP32 -1 4": the model has input INPUT0 and output OUTPUT0 of that type and shape, and returns
// its input as its output (a copy, owned by the output tensor).
#pragma once

#include <memory>

#include "backend/registry/backend_registry.h"
#include "common/status.h"

namespace inferd::backend::testing {

inline constexpr char kIdentityBackend[] = "identity";
inline constexpr char kIdentityPlatform[] = "inferd_identity";
inline constexpr char kIdentityModelFile[] = "model.identity";

Status RegisterIdentityBackend(BackendRegistry& registry);

// Registers `backend` (owned by the caller, which must outlive the registry's use of it) under
// the ONNX Runtime names and file, with signature-based auto-complete: lets lifecycle and server
// tests load repositories of model.onnx files with a fake runtime.
Status RegisterBorrowedAsOnnx(BackendRegistry& registry, Backend& backend);

// A registry holding only RegisterBorrowedAsOnnx(backend).
std::unique_ptr<BackendRegistry> RegistryWith(Backend& backend);

}  // namespace inferd::backend::testing
