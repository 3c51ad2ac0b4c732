#include "backend/registry/builtin_backends.h"

#include "backend/onnxruntime/onnxruntime_backend.h"

namespace inferd::backend {

Status RegisterBuiltinBackends(BackendRegistry& registry) {
  // One line per backend; the first is the default for a model whose config names none and
  // whose version folders hold no backend's default model file.
  RETURN_IF_ERROR(RegisterOnnxRuntimeBackend(registry));
  return absl::OkStatus();
}

}  // namespace inferd::backend
