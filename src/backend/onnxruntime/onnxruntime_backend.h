// The public entry point of the ONNX Runtime backend. Deliberately free of ONNX Runtime headers:
// ORT is a private dependency of this folder, so nothing else in inferd can see (or include) it.
//
// The returned Backend is thread-safe; it may be created more than once, and every backend in the
// process shares one Ort::Env (created on first use, released with the last user).
#pragma once

#include <memory>

#include "backend/backend.h"
#include "backend/registry/backend_registry.h"

namespace inferd::backend {

// Name() is "onnxruntime", the config's `backend:` value (and platform "onnxruntime_onnx").
std::unique_ptr<Backend> CreateOnnxRuntimeBackend();

// Registers this backend: backend "onnxruntime", platform "onnxruntime_onnx", file "model.onnx",
// Triton's ONNX Runtime auto-complete (CompleteFromSignature).
Status RegisterOnnxRuntimeBackend(BackendRegistry& registry);

}  // namespace inferd::backend
