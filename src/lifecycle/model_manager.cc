#include "lifecycle/model_manager.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lifecycle/model_loader.h"
#include "repository/version_policy.h"
#include "spdlog/spdlog.h"

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

ModelManager::ModelManager(backend::Backend& backend, ManagerOptions options)
    : backend_(backend), options_(std::move(options)) {}

ModelManager::~ModelManager() { UnloadAll(); }

Status ModelManager::LoadAll() {
  ASSIGN_OR_RETURN(auto dirs, repository::ScanRepositories(options_.repositories));
  {
    std::lock_guard lock(mu_);
    for (const auto& dir : dirs) models_.try_emplace(dir.name);
  }
  std::atomic<size_t> next{0};
  const size_t threads =
      std::clamp<size_t>(options_.load_threads, 1, std::max<size_t>(1, dirs.size()));
  {
    std::vector<std::jthread> pool;
    for (size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < dirs.size(); i = next++) LoadModel(dirs[i]);
      });
    }
  }
  return absl::OkStatus();
}

void ModelManager::LoadModel(const repository::ModelDir& dir) {
  if (!dir.status.ok()) return SetModelError(dir.name, dir.status);
  auto config = ReadModelConfig(dir);
  if (!config.ok()) return SetModelError(dir.name, config.status());

  std::vector<int64_t> available;
  for (const auto& [version, path] : dir.versions) available.push_back(version);
  const auto selection = repository::SelectVersions(config->version_policy(), available);
  if (selection.versions.empty()) {
    return SetModelError(dir.name,
                         absl::NotFoundError(absl::StrCat("no version of model '", dir.name,
                                                          "' to load: version folders present [",
                                                          absl::StrJoin(available, ","), "]")));
  }
  for (int64_t missing : selection.missing) {
    // As Triton: a listed version without a folder is reported, the others still load.
    spdlog::warn("version {} is specified for model '{}', but the version folder is not present",
                 missing, dir.name);
  }
  repository::AutoCompleteOptions complete{dir.name, options_.auto_complete,
                                           options_.default_max_batch_size, options_.cpu_cores};
  for (int64_t version : selection.versions) {
    SetVersion(dir.name, version, {VersionState::kLoading, "", nullptr});
    const auto start = std::chrono::steady_clock::now();
    auto loaded = LoadModelVersion(backend_, dir, version, *config, complete);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    if (!loaded.ok()) {
      spdlog::error("failed to load model '{}' version {}: {}", dir.name, version,
                    std::string(loaded.status().message()));
      SetVersion(dir.name, version,
                 {VersionState::kUnavailable, std::string(loaded.status().message()), nullptr});
      continue;
    }
    spdlog::info("loaded model '{}' version {} in {} ms", dir.name, version, ms);
    SetVersion(dir.name, version, {VersionState::kReady, "", std::move(loaded).value()});
  }
}

void ModelManager::SetModelError(const std::string& model, const Status& status) {
  spdlog::error("failed to load model '{}': {}", model, std::string(status.message()));
  std::lock_guard lock(mu_);
  models_[model].reason = std::string(status.message());
}

void ModelManager::SetVersion(const std::string& model, int64_t version, VersionSlot slot) {
  std::lock_guard lock(mu_);
  models_[model].versions[version] = std::move(slot);
}

StatusOr<ModelHandle> ModelManager::Get(std::string_view model_name, int64_t version) const {
  const std::string model(model_name);
  std::lock_guard lock(mu_);
  auto it = models_.find(model);
  if (it == models_.end()) {
    return absl::NotFoundError(absl::StrCat("unknown model: '", model, "'"));
  }
  const auto& versions = it->second.versions;
  if (version == 0) {
    for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
      if (v->second.state == VersionState::kReady) return ModelHandle(v->second.handle);
    }
    const std::string& reason = it->second.reason;
    return absl::UnavailableError(absl::StrCat("model '", model, "' has no ready version",
                                               reason.empty() ? "" : ": ", reason));
  }
  auto v = versions.find(version);
  if (v == versions.end()) {
    return absl::NotFoundError(
        absl::StrCat("unknown version ", version, " of model '", model, "'"));
  }
  if (v->second.state != VersionState::kReady) {
    return absl::UnavailableError(absl::StrCat(
        "version ", version, " of model '", model, "' is ", VersionStateName(v->second.state),
        v->second.reason.empty() ? "" : ": ", v->second.reason));
  }
  return ModelHandle(v->second.handle);
}

std::vector<int64_t> ModelManager::ReadyVersions(std::string_view model) const {
  std::lock_guard lock(mu_);
  std::vector<int64_t> out;
  auto it = models_.find(model);
  if (it == models_.end()) return out;
  for (const auto& [version, slot] : it->second.versions) {
    if (slot.state == VersionState::kReady) out.push_back(version);
  }
  return out;
}

std::vector<core::RepositoryEntry> ModelManager::Index(bool ready_only) const {
  std::lock_guard lock(mu_);
  std::vector<core::RepositoryEntry> out;
  for (const auto& [name, record] : models_) {
    if (record.versions.empty() && !ready_only) {
      out.push_back({name, "", record.reason.empty() ? "LOADING" : "UNAVAILABLE", record.reason});
    }
    for (const auto& [version, slot] : record.versions) {
      if (ready_only && slot.state != VersionState::kReady) continue;
      out.push_back({name, std::to_string(version), VersionStateName(slot.state), slot.reason});
    }
  }
  return out;
}

bool ModelManager::AllReady() const {
  std::lock_guard lock(mu_);
  for (const auto& [name, record] : models_) {
    if (record.versions.empty() || !record.reason.empty()) return false;
    for (const auto& [version, slot] : record.versions) {
      if (slot.state != VersionState::kReady) return false;
    }
  }
  return true;
}

void ModelManager::UnloadAll() {
  std::vector<std::shared_ptr<ModelVersion>> handles;
  {
    std::lock_guard lock(mu_);
    for (auto& [name, record] : models_) {
      for (auto& [version, slot] : record.versions) {
        if (slot.handle) handles.push_back(std::move(slot.handle));
        slot.state = VersionState::kUnavailable;
        slot.reason = "unloaded";
      }
    }
  }
  // Dropping the last reference (here or in a finishing request) shuts the scheduler down.
  for (auto& handle : handles) handle->scheduler().Shutdown();
}

}  // namespace inferd::lifecycle
