// One loaded model version of the libtorch backend, and its instances.
//
// TorchModel holds the settings, the IO binding and the module LoadModel loaded (which validated
// the file); the first instance takes that module, later ones load their own copy, unless
// ENABLE_WEIGHT_SHARING makes every instance run the one module (TorchScript's forward() is
// reentrant). TorchInstance::Execute maps inputs to forward()'s arguments, runs it and picks the
// configured outputs, checking their element types against the config.
//
// Thread-safety: CreateInstance may be called concurrently; an instance is used by one thread at
// a time. Outputs own their libtorch storage and outlive the instance.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "backend/backend.h"
#include "backend/libtorch/torch_io_binding.h"
#include "backend/libtorch/torch_runtime.h"
#include "backend/libtorch/torch_settings.h"

namespace inferd::backend::libtorch {

class TorchModel : public Model {
 public:
  TorchModel(std::string name, std::filesystem::path model_file, TorchSettings settings,
             IoBinding binding, TorchRuntime* runtime, std::shared_ptr<TorchModule> first_module,
             std::shared_ptr<const core::ModelSignature> signature);

  StatusOr<std::unique_ptr<Instance>> CreateInstance(int index) override;
  std::shared_ptr<const core::ModelSignature> signature() const override { return signature_; }

 private:
  const std::string name_;
  const std::filesystem::path model_file_;
  const TorchSettings settings_;
  const std::shared_ptr<const IoBinding> binding_;
  TorchRuntime* const runtime_;
  const std::shared_ptr<const core::ModelSignature> signature_;
  absl::Mutex mu_;
  // The module LoadModel loaded: handed to the first instance, or to all with weight sharing.
  std::shared_ptr<TorchModule> first_module_ ABSL_GUARDED_BY(mu_);
};

// The model's signature as the config states it (TorchScript states none): config auto-complete
// then validates the config against itself, which is all there is to check.
core::ModelSignature SignatureFromConfig(const ::inference::ModelConfig& config);

}  // namespace inferd::backend::libtorch
