#include "lifecycle/model_manager.h"

#include <algorithm>
#include <latch>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/model_errors.h"

namespace inferd::lifecycle {

const char* VersionStateName(VersionState state) {
  switch (state) {
    case VersionState::kLoading:
      return "LOADING";
    case VersionState::kReady:
      return "READY";
    case VersionState::kUnloading:
      return "UNLOADING";
    case VersionState::kUnavailable:
      return "UNAVAILABLE";
  }
  return "UNAVAILABLE";
}

int64_t MaxInstancesPerModel(const ManagerOptions& options) {
  return options.max_instances_per_model > 0 ? options.max_instances_per_model
                                             : int64_t{4} * std::max(1, options.cpu_cores);
}

bool ModelManager::HasReadyVersion(const ModelRecord& record) {
  return std::any_of(record.versions.begin(), record.versions.end(),
                     [](const auto& v) { return v.second.state == VersionState::kReady; });
}

ModelManager::ModelManager(const backend::BackendRegistry& backends, ManagerOptions options)
    : backends_(backends),
      options_(std::move(options)),
      steps_(std::make_shared<ManagerStepResolver>(
          [this](std::string_view model, int64_t version) { return Get(model, version); })),
      pool_(std::make_unique<ThreadPool>(options_.load_threads)) {}

ModelManager::~ModelManager() {
  UnloadAll();
  steps_->Detach();
}

void ModelManager::RunOnPool(const std::vector<std::function<void()>>& tasks) {
  std::latch done(static_cast<std::ptrdiff_t>(tasks.size()));
  {
    // Posted under the lock UnloadAll sets shutting_down_ under, so no task is posted to a pool
    // being destroyed (LoadAll may run beside a shutdown).
    absl::MutexLock lock(&mu_);
    for (const auto& task : tasks) {
      if (shutting_down_) {
        done.count_down();
        continue;
      }
      pool_->Post([&task, &done] {
        task();
        done.count_down();
      });
    }
  }
  done.wait();
}

StatusOr<const ModelManager::VersionSlot*> ModelManager::FindReadyLocked(
    std::string_view model_name, int64_t version) const {
  auto it = models_.find(model_name);
  if (it == models_.end()) return core::UnknownModelError(model_name);
  const std::string& model = it->first;
  const auto& versions = it->second.versions;
  if (version == 0) {
    for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
      if (v->second.state == VersionState::kReady) return &v->second;
    }
    // Unloaded on purpose is "not served" (404, as Triton); anything else may clear (503).
    if (it->second.unloaded) {
      return core::NoAvailableVersionError(absl::StatusCode::kNotFound, model, "unloaded");
    }
    return core::NoAvailableVersionError(absl::StatusCode::kUnavailable, model, it->second.reason);
  }
  auto v = versions.find(version);
  if (v == versions.end()) return core::UnknownVersionError(model, version);
  if (v->second.state == VersionState::kUnavailable && v->second.reason == "unloaded") {
    return core::VersionNotReadyError(absl::StatusCode::kNotFound, model, version, "unloaded");
  }
  if (v->second.state != VersionState::kReady) {
    return core::VersionNotReadyError(
        absl::StatusCode::kUnavailable, model, version,
        absl::StrCat(VersionStateName(v->second.state), v->second.reason.empty() ? "" : ": ",
                     v->second.reason));
  }
  return &v->second;
}

StatusOr<ModelHandle> ModelManager::Get(std::string_view model, int64_t version) const {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(const VersionSlot* slot, FindReadyLocked(model, version));
  return ModelHandle(slot->handle);
}

StatusOr<core::LoadedVersion> ModelManager::Resolve(std::string_view model, int64_t version) const {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(const VersionSlot* slot, FindReadyLocked(model, version));
  return core::LoadedVersion{slot->handle->version(), slot->generation};
}

std::vector<int64_t> ModelManager::ReadyVersions(std::string_view model) const {
  absl::MutexLock lock(&mu_);
  std::vector<int64_t> out;
  auto it = models_.find(model);
  if (it == models_.end()) return out;
  for (const auto& [version, slot] : it->second.versions) {
    if (slot.state == VersionState::kReady) out.push_back(version);
  }
  return out;
}

std::vector<core::RepositoryEntry> ModelManager::Index(bool ready_only) const {
  std::vector<core::RepositoryEntry> out;
  absl::ReleasableMutexLock lock(&mu_);
  for (const auto& [name, record] : models_) {
    // A model-level failure (unreadable config, no version) gets its own row unless a serving
    // version already carries it as "reload failed".
    if (!ready_only &&
        (record.versions.empty() || (!HasReadyVersion(record) && !record.reason.empty()))) {
      out.push_back({name, "", record.reason.empty() ? "LOADING" : "UNAVAILABLE", record.reason});
    }
    for (const auto& [version, slot] : record.versions) {
      if (ready_only && slot.state != VersionState::kReady) continue;
      core::RepositoryEntry entry{name, std::to_string(version), VersionStateName(slot.state),
                                  slot.reason};
      if (slot.handle) {
        entry.model_sha256 = slot.handle->artifact().model_sha256;
        entry.config_sha256 = slot.handle->artifact().config_sha256;
      }
      out.push_back(std::move(entry));
    }
  }
  if (ready_only) return out;
  std::set<std::string, std::less<>> known;
  for (const auto& [name, record] : models_) known.insert(name);
  // The scan reads the filesystem: not under the lock every inference's Get() takes.
  lock.Release();
  // As Triton: models in the repository that were never loaded (explicit mode) are listed by name.
  if (auto dirs =
          repository::ScanRepositories(options_.repositories, options_.allow_repository_symlinks);
      dirs.ok()) {
    for (const auto& dir : *dirs) {
      if (!known.contains(dir.name)) out.push_back({dir.name, "", "", ""});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.name < b.name; });
  }
  return out;
}

bool ModelManager::AllReady() const {
  absl::MutexLock lock(&mu_);
  for (const auto& [name, record] : models_) {
    if (record.unloaded) continue;
    // A model serves as long as one version is READY: a reload in progress, or a new version
    // that failed beside a serving one, must not take the server out of a load balancer.
    if (!HasReadyVersion(record)) return false;
  }
  return true;
}

}  // namespace inferd::lifecycle
