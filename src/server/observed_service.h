// server::ObservedService: a core::InferenceService decorator the front ends call, adding what
// every inference request needs for observability before handing it to the real facade:
//  - a request id: the client's `id`, else a generated one (process-unique, at most 15
//    characters so it needs no allocation), echoed in the response and used in log lines;
//  - structured log lines at verbose level 1 (received, completed or failed, with request_id,
//    model and version);
//  - tracing: sampled requests carry a core::RequestTimeline and write one trace line when their
//    response has been handed to the front end ("response_sent").
// Every other method forwards unchanged.
//
// In-flight requests are counted once, by the facade itself (server::Service), not here.
//
// Thread-safe. Borrows the inner facade and the tracer, which must outlive it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/inference_service.h"
#include "metrics/request_trace.h"

namespace inferd::server {

class ObservedService final : public core::InferenceService {
 public:
  ObservedService(core::InferenceService& inner, metrics::Tracer& tracer);

  bool IsLive() const override { return inner_.IsLive(); }
  bool IsReady() const override { return inner_.IsReady(); }
  core::ServerMetadata GetServerMetadata() const override { return inner_.GetServerMetadata(); }
  Status ModelReady(std::string_view model, int64_t version) const override {
    return inner_.ModelReady(model, version);
  }
  StatusOr<core::ModelMetadata> GetModelMetadata(std::string_view model,
                                                 int64_t version) const override {
    return inner_.GetModelMetadata(model, version);
  }
  StatusOr<::inference::ModelConfig> GetModelConfig(std::string_view model,
                                                    int64_t version) const override {
    return inner_.GetModelConfig(model, version);
  }
  std::vector<core::RepositoryEntry> RepositoryIndex(bool ready_only) const override {
    return inner_.RepositoryIndex(ready_only);
  }
  StatusOr<std::vector<core::ModelStatistics>> GetModelStatistics(std::string_view model,
                                                                  int64_t version) const override {
    return inner_.GetModelStatistics(model, version);
  }
  void LoadModel(core::LoadModelRequest request, core::StatusCallback done) override {
    inner_.LoadModel(std::move(request), std::move(done));
  }
  void UnloadModel(std::string model, core::StatusCallback done) override {
    inner_.UnloadModel(std::move(model), std::move(done));
  }
  bool Admits(std::string_view model, int64_t version) const override {
    return inner_.Admits(model, version);
  }
  void Infer(std::unique_ptr<core::InferenceRequest> request, core::ResponseCallback done) override;

 private:
  std::string NextId();

  core::InferenceService& inner_;
  metrics::Tracer& tracer_;
  const std::string prefix_;  // 4 hex digits, random per process
  std::atomic<uint64_t> next_id_{1};
};

}  // namespace inferd::server
