// The ONNX Runtime Backend (declared in onnxruntime_backend.h).
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "backend/onnxruntime/instance_placement.h"
#include "backend/onnxruntime/onnxruntime_backend.h"
#include "backend/onnxruntime/ort_env.h"
#include "backend/onnxruntime/ort_model.h"
#include "backend/onnxruntime/ort_session.h"
#include "backend/onnxruntime/session_options.h"
#include "backend/registry/signature_autocomplete.h"

namespace inferd::backend {
namespace ort {
namespace {

// The settings a config asks of this backend, checked without loading anything: the registry's
// check_config, and the first step of every load.
StatusOr<std::pair<SessionSettings, std::vector<int>>> OrtModelSettings(
    const ::inference::ModelConfig& config, const std::string& name) {
  auto settings = ParseSessionSettings(config);
  if (!settings.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", name, "': ", settings.status().message()));
  }
  ASSIGN_OR_RETURN(std::vector<int> gpus, ModelGpus(config, DetectGpuSupport()));
  return std::make_pair(*settings, std::move(gpus));
}

class OrtBackend : public Backend {
 public:
  std::string_view Name() const override { return "onnxruntime"; }

  StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path& model_file) override {
    ASSIGN_OR_RETURN(auto env, Env());
    SessionSettings settings;
    settings.graph_level =
        GraphLevel::kDisableAll;  // the signature does not need an optimised graph
    ASSIGN_OR_RETURN(Ort::Session session, CreateSession(*env, model_file, settings));
    return ReadSessionSignature(session);
  }

  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) override {
    ASSIGN_OR_RETURN(auto placed, OrtModelSettings(spec.config, spec.name));
    auto& [settings, gpus] = placed;
    ASSIGN_OR_RETURN(auto env, Env());
    SessionSettings first = settings;
    if (!gpus.empty()) first.cuda_device = gpus.front();
    ASSIGN_OR_RETURN(Ort::Session session, CreateSession(*env, spec.model_file, first));
    ASSIGN_OR_RETURN(core::ModelSignature signature, ReadSessionSignature(session));
    return std::make_unique<OrtModel>(
        spec.name, spec.model_file, settings, std::move(gpus), std::move(env), std::move(session),
        std::make_shared<const core::ModelSignature>(std::move(signature)));
  }

 private:
  // Held once acquired so that the Env is not torn down and rebuilt between model loads.
  StatusOr<std::shared_ptr<Ort::Env>> Env() {
    absl::MutexLock lock(&mutex_);
    if (env_ == nullptr) {
      ASSIGN_OR_RETURN(env_, AcquireEnv());
    }
    return env_;
  }

  absl::Mutex mutex_;
  std::shared_ptr<Ort::Env> env_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace
}  // namespace ort

std::unique_ptr<Backend> CreateOnnxRuntimeBackend() { return std::make_unique<ort::OrtBackend>(); }

Status RegisterOnnxRuntimeBackend(BackendRegistry& registry) {
  BackendRegistration registration;
  registration.name = "onnxruntime";
  registration.platforms = {"onnxruntime_onnx"};
  registration.default_model_filename = "model.onnx";
  registration.create = []() -> StatusOr<std::unique_ptr<Backend>> {
    return CreateOnnxRuntimeBackend();
  };
  // ONNX files declare their inputs and outputs: Triton's ONNX Runtime backend rules apply.
  registration.auto_complete = CompleteFromSignature;
  registration.check_config = [](const ::inference::ModelConfig& config) {
    return ort::OrtModelSettings(config, config.name()).status();
  };
  return registry.Register(std::move(registration));
}

}  // namespace inferd::backend
