// ModelManager: the registry of every model version the server knows, with its state (LOADING,
// READY, UNLOADING, UNAVAILABLE + reason), the resolver that turns (model, version) into a
// ModelHandle for a request, and the one place models are loaded, reloaded and unloaded.
//
// Reload: the versions to serve are loaded (and warmed up) beside the ones serving; once they are
// READY the switch is one step under the lock, then the replaced and removed versions drain (their
// queued and in-flight requests finish) and are destroyed. A version whose model file, source
// config and asset files (pipeline, labels) are unchanged is kept as is. A failed load leaves the
// serving version in place and puts the reason in the index and the log.
//
// Loads run on a bounded pool of `load_threads`, so one slow model never delays the others by more
// than its own load. Operations on one model are serialised; different models proceed in parallel.
//
// Thread-safe: every method may be called from any thread at any time. Load/Unload/Poll/LoadAll
// block their caller until done (never call them on an IO thread: use the *Async forms).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "backend/registry/backend_registry.h"
#include "common/status.h"
#include "common/thread_pool.h"
#include "core/cancellation.h"
#include "core/inference_service.h"
#include "lifecycle/ensemble_steps.h"
#include "lifecycle/model_version.h"
#include "lifecycle/version_reaper.h"
#include "metrics/histogram.h"
#include "preprocess/model_files.h"
#include "repository/repository_scanner.h"

namespace inferd::lifecycle {

enum class VersionState { kLoading, kReady, kUnloading, kUnavailable };
const char* VersionStateName(VersionState state);

struct ManagerOptions {
  std::vector<std::filesystem::path> repositories;
  bool auto_complete = true;
  int default_max_batch_size = 4;
  int load_threads = 4;
  int cpu_cores = 1;
  // How long an unload waits for a version's queued and in-flight requests before it reports the
  // version UNAVAILABLE anyway (the version itself still lives until its last request is done).
  std::chrono::duration<double> unload_timeout{30};
  // Bound on the instances of one model (sum of its instance groups); 0 = 4 x cpu_cores. A config
  // over it fails to load (InvalidArgument naming the bound).
  int max_instances_per_model = 0;
  // Follow symbolic links that leave the repository (off: such files and folders are refused).
  bool allow_repository_symlinks = false;
  // Histogram bounds (and whether to record them) of every loaded version's statistics.
  metrics::BucketConfig buckets;
  // Where each version's assets (pipeline, labels) are read at its load; must outlive the
  // manager. Null: versions load without assets.
  const preprocess::ModelFiles* files = nullptr;
};

// The bound ManagerOptions::max_instances_per_model resolves to.
int64_t MaxInstancesPerModel(const ManagerOptions& options);

class ModelManager {
 public:
  // Models load with the backend their config names, looked up in `backends` (which must outlive
  // the manager); an unknown backend or platform fails that model's load, naming the known ones.
  ModelManager(const backend::BackendRegistry& backends, ManagerOptions options);
  ~ModelManager();
  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  // Scans the repositories and loads every model (`names` empty), or the named ones ("*" = all).
  // Returns when all loads have finished; errors only when a repository cannot be read or a
  // named model is not in it (the others are still loaded).
  Status LoadAll(const std::vector<std::string>& names = {});

  // Loads or reloads `name` from the repository, with `config_override` replacing its
  // config.pbtxt when given. OK when every selected version is READY.
  Status Load(const std::string& name, std::optional<::inference::ModelConfig> config_override);
  // Stops serving every version of `name`; returns once they drained (or the unload timeout).
  // FailedPrecondition, unloading nothing, while a serving ensemble has `name` as a step.
  Status Unload(const std::string& name);
  void LoadAsync(std::string name, std::optional<::inference::ModelConfig> config_override,
                 std::function<void(Status)> done);
  void UnloadAsync(std::string name, std::function<void(Status)> done);
  // Rescans the repositories: reloads models whose folder changed, loads new ones, unloads
  // removed ones. Returns when done.
  void Poll();

  // `version` 0 = the highest READY version. NotFound for an unknown model or version, or one
  // that was unloaded; Unavailable for a version that is not READY for another reason (loading,
  // unloading, failed), with the reason.
  StatusOr<ModelHandle> Get(std::string_view model, int64_t version) const;
  // As Get, but only which version answers and its load generation (core::LoadedVersion): a
  // number, unique across the manager, given at every successful load or reload of the version,
  // including a reload that keeps it as is (model file, config and assets unchanged), so
  // anything derived from a load can be keyed on it.
  StatusOr<core::LoadedVersion> Resolve(std::string_view model, int64_t version) const;
  // READY versions of `model`, ascending.
  std::vector<int64_t> ReadyVersions(std::string_view model) const;
  std::vector<core::RepositoryEntry> Index(bool ready_only) const;
  // True when every model that should serve (all but those unloaded on purpose) has a READY
  // version. Failed versions beside a serving one show in the index, not here.
  bool AllReady() const;

  // Refuses further loads, cancels running ones (they stop between two instances) and waits for
  // them, unloads every version and waits for them to
  // drain (bounded by the unload timeout). Load callbacks still pending run before it returns.
  void UnloadAll();

 private:
  struct VersionSlot {
    VersionState state = VersionState::kLoading;
    std::string reason;
    std::shared_ptr<ModelVersion> handle;
    std::shared_future<void> destroyed;
    uint64_t generation = 0;  // see Resolve
  };
  struct ModelRecord {
    std::string reason;  // model-level failure (bad config, no versions); empty when fine
    std::map<int64_t, VersionSlot> versions;
    bool unloaded = false;  // unloaded on purpose: not counted against readiness
    std::string stamp;      // ModelDirStamp of the folder last loaded from (for Poll)
  };
  static bool HasReadyVersion(const ModelRecord& record);
  struct Loaded;

  Status LoadLocked(const std::string& name,
                    const std::optional<::inference::ModelConfig>& config_override);
  // Loads the step models of an ensemble that are not serving yet (each as Load does).
  Status LoadEnsembleSteps(const std::string& name, const ::inference::ModelConfig& config);
  // The serving ensembles that have `name` as a step.
  std::vector<std::string> DependentsLocked(const std::string& name) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status LoadRegistered(const std::string& name,
                        const std::optional<::inference::ModelConfig>& config_override,
                        const core::CancellationFlag& cancel);
  Status Sync(const repository::ModelDir& dir, const ::inference::ModelConfig& config,
              const backend::RegisteredBackend& backend, const std::vector<int64_t>& versions,
              const core::CancellationFlag& cancel);
  Status SwitchTo(const std::string& name, const std::vector<int64_t>& versions,
                  std::vector<Loaded>& loaded);
  Status Fail(const std::string& name, const Status& status);
  void SetLoading(const std::string& name, int64_t version);
  void Retire(std::vector<VersionSlot> retired);
  // The READY slot that answers (model, version), or why there is none (Get's errors).
  StatusOr<const VersionSlot*> FindReadyLocked(std::string_view model, int64_t version) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  StatusOr<repository::ModelDir> FindModelDir(const std::string& name) const;
  std::shared_ptr<absl::Mutex> OperationLock(const std::string& name) ABSL_LOCKS_EXCLUDED(mu_);
  void RunOnPool(const std::vector<std::function<void()>>& tasks);

  const backend::BackendRegistry& backends_;
  const ManagerOptions options_;
  // Ensembles reach their steps through this; detached when the manager goes.
  const std::shared_ptr<ManagerStepResolver> steps_;
  std::shared_ptr<VersionReaper> reaper_ = std::make_shared<VersionReaper>();
  mutable absl::Mutex mu_;
  std::map<std::string, ModelRecord, std::less<>> models_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<absl::Mutex>> operations_ ABSL_GUARDED_BY(mu_);
  // The cancellation flag of each load in progress: Unload and UnloadAll set it.
  std::map<std::string, core::CancellationToken> loading_ ABSL_GUARDED_BY(mu_);
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t last_generation_ ABSL_GUARDED_BY(mu_) = 0;
  // Last: destroyed first, so no load is running when the records go.
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace inferd::lifecycle
