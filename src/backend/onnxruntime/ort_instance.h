// One model instance of the ONNX Runtime backend: its own Ort::Session plus the model's signature
// (shared by every instance of the model version).
//
// Lifetime: created by OrtModel::CreateInstance, destroyed by the loader when the version unloads.
// Outputs it returns stay valid after it is destroyed (they own their ORT buffers).
// Thread-safety: one thread at a time calls Execute (the scheduler's worker for this instance).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/model_signature.h"
#include "onnxruntime_cxx_api.h"

namespace inferd::backend::ort {

class OrtInstance : public Instance {
 public:
  OrtInstance(std::string model_name, std::shared_ptr<Ort::Env> env, Ort::Session session,
              std::shared_ptr<const core::ModelSignature> signature);

  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor> inputs,
                                              std::span<const std::string> output_names) override;

 private:
  StatusOr<std::vector<core::Tensor>> Run(std::span<const core::Tensor> inputs,
                                          std::span<const std::string> output_names);
  StatusOr<std::vector<const char*>> ResolveOutputs(
      std::span<const std::string> output_names) const;

  std::string model_name_;
  // Declared before session_ so that it is destroyed after it: ORT needs the Env to outlive it.
  std::shared_ptr<Ort::Env> env_;
  Ort::Session session_;
  std::shared_ptr<const core::ModelSignature> signature_;
  Ort::MemoryInfo cpu_;
};

}  // namespace inferd::backend::ort
