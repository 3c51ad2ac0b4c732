// server::Service: the implementation of core::InferenceService every front end calls. It
// resolves (model, version) through the ModelManager, validates the request against that
// version's completed config, and hands it to the version's scheduler; that same version's
// assets turn an image into its input and label its answer (ModelVersion::PrepareRequest,
// FinishResponse). The request holds a
// ModelHandle until its callback has run, so an unloading version finishes its requests.
// It counts the requests in flight (the stats store's one gauge, also the --max-inflight bound)
// and records requests that fail validation in their version's statistics.
//
// Thread-safe. Borrows the manager and the gauge, which must outlive it.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/inference_service.h"
#include "lifecycle/model_manager.h"
#include "metrics/registry.h"

namespace inferd::server {

enum class ModelControlMode { kNone, kPoll, kExplicit };

struct ServiceOptions {
  std::string server_name = "inferd";
  std::string server_version;
  std::vector<std::string> extensions;
  // Triton's --strict-readiness: ready only when every model is ready; else ready once started.
  bool strict_readiness = true;
  // Server-wide cap on requests accepted and not yet completed (0 = unlimited). Over it a request
  // is rejected at once with Unavailable, so overload never turns into memory growth.
  int64_t max_inflight = 0;
  // Only kExplicit allows the repository load/unload API (as Triton).
  ModelControlMode control_mode = ModelControlMode::kNone;
};

class Service final : public core::InferenceService {
 public:
  // `inflight` counts inference requests accepted and not yet answered.
  Service(lifecycle::ModelManager& manager, ServiceOptions options, metrics::Gauge& inflight);

  bool IsLive() const override { return true; }
  bool IsReady() const override;

  // Graceful shutdown, in this order: readiness turns false (new requests still served, so a load
  // balancer can notice), then new inference requests are refused with Unavailable.
  void BeginShutdown() { shutting_down_ = true; }
  void RefuseNewRequests() { refusing_ = true; }
  core::ServerMetadata GetServerMetadata() const override;
  Status ModelReady(std::string_view model, int64_t version) const override;
  StatusOr<core::ModelMetadata> GetModelMetadata(std::string_view model,
                                                 int64_t version) const override;
  StatusOr<::inference::ModelConfig> GetModelConfig(std::string_view model,
                                                    int64_t version) const override;
  std::vector<core::RepositoryEntry> RepositoryIndex(bool ready_only) const override;
  StatusOr<std::vector<core::ModelStatistics>> GetModelStatistics(std::string_view model,
                                                                  int64_t version) const override;
  void LoadModel(core::LoadModelRequest request, core::StatusCallback done) override;
  void UnloadModel(std::string model, core::StatusCallback done) override;
  bool Admits(std::string_view model, int64_t version) const override;
  void Infer(std::unique_ptr<core::InferenceRequest> request, core::ResponseCallback done) override;

 private:
  Status CheckModelControl() const;

  lifecycle::ModelManager& manager_;
  const ServiceOptions options_;
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> refusing_{false};
  metrics::Gauge& inflight_;
};

}  // namespace inferd::server
