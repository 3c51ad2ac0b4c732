// A loaded, servable model version: its completed config, the backend model, the scheduler that
// owns its instances, and its assets (pipeline and labels, read once at load). Immutable after
// construction except for the scheduler's own state. The service prepares and post-processes
// every request with the assets of the version that runs it (PrepareRequest, FinishResponse), so
// the labels of an answer always come from the load that computed it, whatever reload lands in
// between, and are shared by every request (never copied).
//
// Lifetime: shared. The manager holds one reference while the version is served; each in-flight
// request holds another (a ModelHandle), so a version that is being unloaded stays alive until
// its last request completes. The destructor shuts the scheduler down (draining its queue) and
// joins its workers, so it must not run on one of them: handles are made by VersionReaper, which
// destroys the version on its own thread.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/inference_request.h"
#include "core/inference_response.h"
#include "core/model_statistics.h"
#include "model_config.pb.h"
#include "preprocess/model_assets.h"
#include "scheduler/scheduler.h"
#include "scheduler/stats_recorder.h"

namespace inferd::lifecycle {

// What a version was loaded from, for artifact identity (metadata, index, logs).
struct Artifact {
  std::filesystem::path model_file;
  std::string model_sha256;   // of the model file
  std::string config_sha256;  // of the effective (completed) config, in protobuf text format
  // The config as given (file or override, before auto-complete): a reload with the same model
  // file and the same source config is a no-op.
  std::string source_config_sha256;
  // Of the asset files (pipeline.json, label files) as read at load; empty when the version was
  // loaded without them. Part of the identity: a reload with edited assets loads the version anew.
  std::string assets_sha256;
  std::chrono::duration<double> load_duration{};
};

// What a request's answer needs from the request once it has run (it is moved to the scheduler).
struct PostProcessing {
  std::vector<core::ClassificationRequest> classifications;
  bool image = false;                  // answer predictions (InferenceRequest::image)
  preprocess::ImageGeometry geometry;  // of the decoded image, when `image`
};

class ModelVersion {
 public:
  // `assets` null: the version was loaded without its files (no pipeline, no labels).
  ModelVersion(::inference::ModelConfig config, int64_t version, Artifact artifact,
               std::unique_ptr<backend::Model> model,
               std::unique_ptr<scheduler::Scheduler> scheduler,
               std::shared_ptr<scheduler::StatsRecorder> stats,
               std::shared_ptr<const preprocess::ModelAssets> assets = nullptr)
      : config_(std::move(config)),
        version_(version),
        artifact_(std::move(artifact)),
        assets_(assets ? std::move(assets) : NoAssets()),
        model_(std::move(model)),
        scheduler_(std::move(scheduler)),
        stats_(std::move(stats)) {}
  ~ModelVersion() {
    // The scheduler (and its instances) must go before the backend model they were made from.
    scheduler_->Shutdown();
    scheduler_.reset();
  }
  ModelVersion(const ModelVersion&) = delete;
  ModelVersion& operator=(const ModelVersion&) = delete;

  const std::string& name() const { return config_.name(); }
  int64_t version() const { return version_; }
  const ::inference::ModelConfig& config() const { return config_; }
  const Artifact& artifact() const { return artifact_; }
  // Shared by every request this version serves; never null.
  const std::shared_ptr<const preprocess::ModelAssets>& assets() const { return assets_; }
  scheduler::Scheduler& scheduler() const { return *scheduler_; }
  // A snapshot of this version's statistics (filled by the scheduler's recorder).
  core::ModelStatistics Statistics() const {
    core::ModelStatistics stats = stats_->Snapshot();
    stats.load_duration_secs = artifact_.load_duration.count();
    return stats;
  }
  // A request for this version that failed before reaching its scheduler (it does not match the
  // config): counted in the same recorder as every other outcome, reason OTHER.
  void RecordInvalidRequest(std::chrono::nanoseconds duration) const {
    stats_->RecordFailure(duration, core::FailureReason::kOther);
  }

  // A request refused before it was read because this version's queue was full (the HTTP front
  // end's refusal on a request head): counted as the scheduler counts its own, reason REJECTED.
  void RecordRefusedRequest() const {
    stats_->RecordFailure(std::chrono::nanoseconds(0), core::FailureReason::kRejected);
  }

  // Before the request is validated and scheduled, on the caller's thread: an image request
  // becomes this version's tensor request (its pipeline); the labels of every output to classify
  // must be readable. Returns what FinishResponse needs.
  StatusOr<PostProcessing> PrepareRequest(core::InferenceRequest& request) const;
  // After the request ran on this version: its classification and image predictions, labelled
  // from this version's assets.
  Status FinishResponse(const PostProcessing& post, core::InferenceResponse& response) const;

 private:
  static std::shared_ptr<const preprocess::ModelAssets> NoAssets();

  const ::inference::ModelConfig config_;
  const int64_t version_;
  const Artifact artifact_;
  const std::shared_ptr<const preprocess::ModelAssets> assets_;
  std::unique_ptr<backend::Model> model_;
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  const std::shared_ptr<scheduler::StatsRecorder> stats_;  // thread-safe
};

using ModelHandle = std::shared_ptr<const ModelVersion>;

}  // namespace inferd::lifecycle
