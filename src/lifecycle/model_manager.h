// ModelManager: the registry of every model version the server knows, with its state (LOADING,
// READY, UNLOADING, UNAVAILABLE + reason), and the resolver that turns (model, version) into a
// ModelHandle for a request.
//
// Loading runs on a bounded pool of `load_threads` so one slow model never delays the others by
// more than its own load. A model or version that fails to load is UNAVAILABLE with its reason;
// the others still serve.
//
// Thread-safe: Get/Index/AllReady may be called from any thread at any time, including while
// loads are running.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "common/status.h"
#include "core/inference_service.h"
#include "lifecycle/model_version.h"
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
};

class ModelManager {
 public:
  ModelManager(backend::Backend& backend, ManagerOptions options);
  ~ModelManager();
  ModelManager(const ModelManager&) = delete;
  ModelManager& operator=(const ModelManager&) = delete;

  // Scans the repositories and loads every model; returns when all loads have finished.
  // Errors only when a repository folder itself cannot be read.
  Status LoadAll();

  // `version` 0 = the highest READY version. NotFound for an unknown model or version;
  // Unavailable for a known version that is not READY (with its reason).
  StatusOr<ModelHandle> Get(std::string_view model, int64_t version) const;
  // READY versions of `model`, ascending.
  std::vector<int64_t> ReadyVersions(std::string_view model) const;
  std::vector<core::RepositoryEntry> Index(bool ready_only) const;
  // True when every known model has at least one version and every version is READY.
  bool AllReady() const;

  // Drops the manager's references (in-flight requests keep theirs and finish) and waits for
  // each version's scheduler to drain.
  void UnloadAll();

 private:
  struct VersionSlot {
    VersionState state = VersionState::kLoading;
    std::string reason;
    std::shared_ptr<ModelVersion> handle;
  };
  struct ModelRecord {
    std::string reason;  // model-level failure (bad config, no versions); empty when fine
    std::map<int64_t, VersionSlot> versions;
  };

  void LoadModel(const repository::ModelDir& dir);
  void SetModelError(const std::string& model, const Status& status);
  void SetVersion(const std::string& model, int64_t version, VersionSlot slot);

  backend::Backend& backend_;
  const ManagerOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, ModelRecord, std::less<>> models_;
};

}  // namespace inferd::lifecycle
