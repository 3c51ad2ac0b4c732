#include "backend/onnxruntime/ort_env.h"

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace inferd::backend::ort {
namespace {

// A weak_ptr, not a static Env: a static would be destroyed at exit in an order unrelated to the
// sessions still referring to it.
ABSL_CONST_INIT absl::Mutex env_mu(absl::kConstInit);
std::weak_ptr<Ort::Env> shared_env ABSL_GUARDED_BY(env_mu);

}  // namespace

StatusOr<std::shared_ptr<Ort::Env>> AcquireEnv() {
  absl::MutexLock lock(&env_mu);
  if (auto env = shared_env.lock()) return env;
  try {
    auto env = std::make_shared<Ort::Env>(ORT_LOGGING_LEVEL_WARNING, "inferd");
    shared_env = env;
    return env;
  } catch (const Ort::Exception& e) {
    return FromOrtException(e, "creating the ONNX Runtime environment");
  }
}

Status FromOrtException(const Ort::Exception& e, const std::string& context) {
  std::string message = absl::StrCat(context, ": ", e.what());
  switch (e.GetOrtErrorCode()) {
    case ORT_INVALID_ARGUMENT:
    case ORT_INVALID_PROTOBUF:
    case ORT_INVALID_GRAPH:
    case ORT_NO_MODEL:
    case ORT_MODEL_LOADED:
    case ORT_NOT_IMPLEMENTED:
      return absl::InvalidArgumentError(message);
    case ORT_NO_SUCHFILE:
      return absl::NotFoundError(message);
    default:
      return absl::InternalError(message);
  }
}

Status FromStdException(const std::exception& e, const std::string& context) {
  return absl::InternalError(absl::StrCat(context, ": ", e.what()));
}

}  // namespace inferd::backend::ort
