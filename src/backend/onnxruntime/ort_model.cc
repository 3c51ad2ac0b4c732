#include "backend/onnxruntime/ort_model.h"

#include <utility>

#include "backend/onnxruntime/ort_env.h"
#include "backend/onnxruntime/ort_instance.h"
#include "backend/onnxruntime/ort_session.h"

namespace inferd::backend::ort {

OrtModel::OrtModel(std::string name, std::filesystem::path model_file, SessionSettings settings,
                   std::vector<int> gpus, std::shared_ptr<Ort::Env> env, Ort::Session first_session,
                   std::shared_ptr<const core::ModelSignature> signature)
    : name_(std::move(name)),
      model_file_(std::move(model_file)),
      settings_(settings),
      gpus_(std::move(gpus)),
      env_(std::move(env)),
      signature_(std::move(signature)),
      first_session_(std::move(first_session)) {}

StatusOr<std::unique_ptr<Instance>> OrtModel::CreateInstance(int index) {
  std::optional<Ort::Session> session;
  {
    absl::MutexLock lock(&mutex_);
    session.swap(first_session_);
  }
  if (!session.has_value()) {
    SessionSettings settings = settings_;
    if (!gpus_.empty()) settings.cuda_device = gpus_[static_cast<size_t>(index) % gpus_.size()];
    ASSIGN_OR_RETURN(Ort::Session fresh, CreateSession(*env_, model_file_, settings));
    session.emplace(std::move(fresh));
  }
  try {
    return std::make_unique<OrtInstance>(name_, env_, std::move(*session), signature_);
  } catch (const Ort::Exception& e) {
    return FromOrtException(e, "creating an instance of model '" + name_ + "'");
  }
}

}  // namespace inferd::backend::ort
