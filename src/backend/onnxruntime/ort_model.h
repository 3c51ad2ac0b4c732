// One loaded model version of the ONNX Runtime backend: the parsed session settings and the
// model's signature, from which it makes one session per instance.
//
// Lifetime: created by the backend's LoadModel, which already built (and so validated) the first
// session; CreateInstance hands that one to the first instance it creates rather than loading the
// file twice. Thread-safety: CreateInstance may be called concurrently.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "backend/backend.h"
#include "backend/onnxruntime/session_options.h"
#include "core/model_signature.h"
#include "onnxruntime_cxx_api.h"

namespace inferd::backend::ort {

class OrtModel : public Model {
 public:
  // `gpus`: the devices instances take in turn (instance_placement.h); empty = the CPU.
  OrtModel(std::string name, std::filesystem::path model_file, SessionSettings settings,
           std::vector<int> gpus, std::shared_ptr<Ort::Env> env, Ort::Session first_session,
           std::shared_ptr<const core::ModelSignature> signature);

  StatusOr<std::unique_ptr<Instance>> CreateInstance(int index) override;
  std::shared_ptr<const core::ModelSignature> signature() const override { return signature_; }

 private:
  const std::string name_;
  const std::filesystem::path model_file_;
  const SessionSettings settings_;
  const std::vector<int> gpus_;
  const std::shared_ptr<Ort::Env> env_;
  const std::shared_ptr<const core::ModelSignature> signature_;
  absl::Mutex mutex_;
  std::optional<Ort::Session> first_session_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace inferd::backend::ort
