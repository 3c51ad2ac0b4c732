// FakeInferenceService: a core::InferenceService for the HTTP front end's tests. Infer echoes
// every input as an output of the same name (prefixed "out_" if `rename_outputs`), or fails with
// `infer_error`; with `defer` set, completions are held until CompleteDeferred() so tests can
// close a connection while a request is in flight. Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/inference_service.h"

namespace inferd::frontend::http::testing {

class FakeInferenceService : public core::InferenceService {
 public:
  bool IsLive() const override { return true; }
  bool IsReady() const override { return ready; }
  core::ServerMetadata GetServerMetadata() const override {
    return {"inferd", "0.1.0", {"binary_tensor_data"}};
  }
  Status ModelReady(std::string_view model, int64_t) const override {
    return model == "echo" ? absl::OkStatus() : absl::NotFoundError("unknown model");
  }
  StatusOr<core::ModelMetadata> GetModelMetadata(std::string_view model, int64_t) const override {
    if (model != "echo") return absl::NotFoundError("unknown model 'nope'");
    core::ModelMetadata metadata;
    metadata.name = "echo";
    metadata.versions = {"1"};
    metadata.platform = "onnxruntime_onnx";
    metadata.inputs = {{"x", core::DataType::kFp32, {-1, 4}}};
    metadata.outputs = {{"x", core::DataType::kFp32, {-1, 4}}};
    return metadata;
  }
  StatusOr<::inference::ModelConfig> GetModelConfig(std::string_view model,
                                                    int64_t) const override {
    if (model != "echo") return absl::NotFoundError("unknown model");
    ::inference::ModelConfig config;
    config.set_name("echo");
    config.set_max_batch_size(8);
    auto* input = config.add_input();
    input->set_name("x");
    input->set_data_type(::inference::TYPE_FP32);
    input->add_dims(4);
    return config;
  }
  std::vector<core::RepositoryEntry> RepositoryIndex(bool) const override { return index; }
  StatusOr<std::vector<core::ModelStatistics>> GetModelStatistics(std::string_view,
                                                                  int64_t) const override {
    return std::vector<core::ModelStatistics>{};
  }
  void LoadModel(core::LoadModelRequest request, core::StatusCallback done) override {
    done(request.model == "echo" ? absl::OkStatus() : absl::NotFoundError("unknown model"));
  }
  void UnloadModel(std::string model, core::StatusCallback done) override {
    done(model == "echo" ? absl::OkStatus() : absl::NotFoundError("unknown model"));
  }
  bool Admits(std::string_view, int64_t) const override { return !full.load(); }
  void Infer(std::unique_ptr<core::InferenceRequest> request,
             core::ResponseCallback done) override {
    infer_calls.fetch_add(1);
    if (on_infer) on_infer();
    if (!infer_error.ok()) return std::move(done)(infer_error);
    core::InferenceResponse response;
    response.model_name = request->model_name;
    response.model_version = request->model_version == 0 ? 1 : request->model_version;
    response.id = request->id;
    for (const auto& input : request->inputs) {
      core::Tensor output = input;
      // The echo views the request's bytes: its own buffer (JSON) or the body (binary).
      if (!output.owner) output.owner = request->body;
      response.outputs.push_back(std::move(output));
    }
    if (defer) {
      absl::MutexLock lock(&mu_);
      deferred_.emplace_back(std::move(done), std::move(response));
      return;
    }
    std::move(done)(std::move(response));
  }

  // Completes every held request; returns how many.
  size_t CompleteDeferred() {
    std::vector<std::pair<core::ResponseCallback, core::InferenceResponse>> held;
    {
      absl::MutexLock lock(&mu_);
      held.swap(deferred_);
    }
    for (auto& [done, response] : held) std::move(done)(std::move(response));
    return held.size();
  }
  size_t DeferredCount() {
    absl::MutexLock lock(&mu_);
    return deferred_.size();
  }
  // True once `count` requests are held; false if `timeout` passed first.
  bool AwaitDeferred(size_t count, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto held = [this, count]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return deferred_.size() >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&held), timeout);
  }

  std::vector<core::RepositoryEntry> index = {{"echo", "1", "READY", ""},
                                              {"broken", "", "UNAVAILABLE", "bad config"}};
  bool ready = true;
  bool defer = false;
  // Every model "full": Admits() says no, so the HTTP front end refuses infer requests on their
  // head. Infer itself still answers (the body was read after all).
  std::atomic<bool> full{false};
  std::atomic<int> infer_calls{0};
  Status infer_error;
  // Runs on the thread that routes each request, before it is answered (set before serving).
  std::function<void()> on_infer;

 private:
  absl::Mutex mu_;
  std::vector<std::pair<core::ResponseCallback, core::InferenceResponse>> deferred_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::frontend::http::testing
