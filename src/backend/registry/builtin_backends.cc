#include "backend/registry/builtin_backends.h"

#include "backend/ensemble/ensemble_backend.h"
#include "backend/libtorch/libtorch_backend.h"
#include "backend/onnxruntime/onnxruntime_backend.h"

namespace inferd::backend {

Status RegisterBuiltinBackends(BackendRegistry& registry) {
  // One line per backend; the first is the default for a model whose config names none and
  // whose version folders hold no backend's default model file.
  RETURN_IF_ERROR(RegisterOnnxRuntimeBackend(registry));
  RETURN_IF_ERROR(RegisterLibTorchBackend(registry));
  RETURN_IF_ERROR(RegisterEnsembleBackend(registry));
  RETURN_IF_ERROR(RegisterTextReaderBackend(registry));
  return absl::OkStatus();
}

}  // namespace inferd::backend
