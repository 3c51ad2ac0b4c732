// ModelManager's operations: load, reload, unload, poll (the queries are in model_manager.cc).
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/logging.h"
#include "core/model_errors.h"
#include "core/text_reader.h"
#include "lifecycle/load_plan.h"
#include "lifecycle/model_loader.h"
#include "lifecycle/model_manager.h"
#include "spdlog/spdlog.h"

namespace inferd::lifecycle {

namespace {

template <typename Slots>
void LogUnloading(const std::string& name, const Slots& retired) {
  for (const auto& slot : retired) {
    const std::string version = std::to_string(slot.handle->version());
    logging::Log(spdlog::level::info,
                 absl::StrCat("unloading model '", name, "' version ", version),
                 {{"model", name},
                  {"version", version},
                  {"model_sha256", slot.handle->artifact().model_sha256}});
  }
}

}  // namespace

struct ModelManager::Loaded {
  int64_t version = 0;
  StatusOr<AdoptedVersion> result;
};

std::shared_ptr<absl::Mutex> ModelManager::OperationLock(const std::string& name) {
  absl::MutexLock lock(&mu_);
  auto& op = operations_[name];
  if (!op) op = std::make_shared<absl::Mutex>();
  return op;
}

StatusOr<repository::ModelDir> ModelManager::FindModelDir(const std::string& name) const {
  ASSIGN_OR_RETURN(auto dirs, repository::ScanRepositories(options_.repositories,
                                                           options_.allow_repository_symlinks));
  for (auto& dir : dirs) {
    if (dir.name == name) return std::move(dir);
  }
  return absl::NotFoundError(absl::StrCat("model '", name, "' is not in the model repository"));
}

Status ModelManager::LoadAll(const std::vector<std::string>& names) {
  ASSIGN_OR_RETURN(auto dirs, repository::ScanRepositories(options_.repositories,
                                                           options_.allow_repository_symlinks));
  std::vector<std::string> selected;
  const bool all = names.empty() || std::find(names.begin(), names.end(), "*") != names.end();
  if (all) {
    for (const auto& dir : dirs) selected.push_back(dir.name);
  } else {
    selected = names;
  }
  {
    absl::MutexLock lock(&mu_);
    for (const auto& name : selected) models_.try_emplace(name);
  }
  Status first_error;
  std::vector<std::function<void()>> tasks;
  for (const auto& name : selected) {
    const bool found =
        std::any_of(dirs.begin(), dirs.end(), [&](const auto& dir) { return dir.name == name; });
    if (!found) {
      Status missing = Fail(name, absl::NotFoundError(absl::StrCat(
                                      "model '", name, "' is not in the model repository")));
      if (first_error.ok()) first_error = missing;
      continue;
    }
    tasks.push_back([this, &name] { (void)Load(name, std::nullopt); });
  }
  RunOnPool(tasks);
  return first_error;
}

Status ModelManager::Load(const std::string& name,
                          std::optional<::inference::ModelConfig> config_override) {
  RETURN_IF_ERROR(repository::ValidateModelName(name));
  auto op = OperationLock(name);
  absl::MutexLock op_lock(op.get());
  return LoadLocked(name, config_override);
}

Status ModelManager::LoadLocked(const std::string& name,
                                const std::optional<::inference::ModelConfig>& config_override) {
  auto cancel = std::make_shared<core::CancellationFlag>();
  {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) return absl::UnavailableError("the server is shutting down");
    models_.try_emplace(name);
    loading_[name] = cancel;  // operations on one model are serialised: one load at a time
  }
  Status status = LoadRegistered(name, config_override, *cancel);
  absl::MutexLock lock(&mu_);
  loading_.erase(name);
  return status;
}

Status ModelManager::LoadRegistered(const std::string& name,
                                    const std::optional<::inference::ModelConfig>& config_override,
                                    const core::CancellationFlag& cancel) {
  auto dir = FindModelDir(name);
  if (!dir.ok()) return Fail(name, dir.status());
  const std::string stamp = repository::ModelDirStamp(*dir);
  {
    absl::MutexLock lock(&mu_);
    models_[name].stamp = stamp;
  }
  auto plan = PlanModelLoad(*dir, config_override, backends_, options_);
  if (!plan.ok()) return Fail(name, plan.status());
  for (const auto& warning : plan->warnings) spdlog::warn("{}", warning);
  if (Status steps = LoadEnsembleSteps(name, plan->config); !steps.ok()) return Fail(name, steps);
  return Sync(*dir, plan->config, *plan->backend, plan->versions, cancel);
}

Status ModelManager::LoadEnsembleSteps(const std::string& name,
                                       const ::inference::ModelConfig& config) {
  const auto step_models = EnsembleStepModels(config);
  if (step_models.empty()) return absl::OkStatus();
  // A cycle through ensembles would have each load wait for the other's: refused before any
  // step is loaded.
  RETURN_IF_ERROR(
      CheckEnsembleCycle(name, [&](const std::string& model) -> StatusOr<::inference::ModelConfig> {
        if (model == name) return config;
        ASSIGN_OR_RETURN(auto dir, FindModelDir(model));
        return ReadModelConfig(dir);
      }));
  if (core::IsTextReader(config)) {
    for (const auto& model : step_models) {
      if (!FindModelDir(model).ok()) {
        return absl::NotFoundError(absl::StrCat("text reader '", name, "' names model '", model,
                                                "', which is not in the model repository"));
      }
    }
  }
  const auto& steps = config.ensemble_scheduling().step();
  for (int i = 0; i < steps.size(); ++i) {
    if (!FindModelDir(steps[i].model_name()).ok()) {
      return absl::NotFoundError(absl::StrCat("ensemble '", name, "' step ", i + 1, " (model '",
                                              steps[i].model_name(),
                                              "') is not in the model repository"));
    }
  }
  for (const auto& step : step_models) {
    if (!ReadyVersions(step).empty()) continue;
    // As Triton: loading an ensemble loads the models of its steps that are not serving. Its
    // own load then checks them and fails, naming the step, if one still does not serve.
    logging::Log(spdlog::level::info,
                 absl::StrCat("loading model '", step, "', a step of ensemble '", name, "'"),
                 {{"model", step}, {"ensemble", name}});
    (void)Load(step, std::nullopt);
  }
  return absl::OkStatus();
}

std::vector<std::string> ModelManager::DependentsLocked(const std::string& name) const {
  std::vector<std::string> dependents;
  for (const auto& [model, record] : models_) {
    for (const auto& [version, slot] : record.versions) {
      if (slot.state != VersionState::kReady || !slot.handle) continue;
      const auto steps = EnsembleStepModels(slot.handle->config());
      if (std::find(steps.begin(), steps.end(), name) != steps.end()) {
        dependents.push_back(model);
        break;
      }
    }
  }
  return dependents;
}

Status ModelManager::Sync(const repository::ModelDir& dir, const ::inference::ModelConfig& config,
                          const backend::RegisteredBackend& backend,
                          const std::vector<int64_t>& versions,
                          const core::CancellationFlag& cancel) {
  const repository::AutoCompleteOptions complete = CompletionOptions(dir.name, options_);
  std::vector<Loaded> loaded;
  for (int64_t version : versions) {
    auto artifact = IdentifyVersion(dir, version, config, options_.files);
    if (!artifact.ok()) {
      loaded.push_back({version, artifact.status()});
      continue;
    }
    if (auto current = Get(dir.name, version); current.ok()) {
      const Artifact& serving = (*current)->artifact();
      if (serving.model_sha256 == artifact->model_sha256 &&
          serving.source_config_sha256 == artifact->source_config_sha256 &&
          serving.assets_sha256 == artifact->assets_sha256) {
        continue;  // unchanged: keep serving it as is
      }
    } else {
      SetLoading(dir.name, version);
    }
    logging::Log(spdlog::level::info,
                 absl::StrCat("loading model '", dir.name, "' version ", version),
                 {{"model", dir.name}, {"version", std::to_string(version)}});
    auto version_loaded =
        LoadModelVersion(backend, dir, version, config, complete, *std::move(artifact), cancel,
                         options_.buckets, options_.files, steps_);
    if (!version_loaded.ok()) {
      loaded.push_back({version, version_loaded.status()});
      continue;
    }
    const Artifact& a = (*version_loaded)->artifact();
    const std::string version_text = std::to_string(version);
    const std::string ms = absl::StrFormat("%.0f", a.load_duration.count() * 1000);
    logging::Log(spdlog::level::info,
                 absl::StrCat("loaded model '", dir.name, "' version ", version, " in ", ms, " ms"),
                 {{"model", dir.name},
                  {"version", version_text},
                  {"model_sha256", a.model_sha256},
                  {"config_sha256", a.config_sha256},
                  {"duration_ms", ms}});
    loaded.push_back({version, VersionReaper::Adopt(reaper_, *std::move(version_loaded))});
  }
  return SwitchTo(dir.name, versions, loaded);
}

// The atomic switch: new versions become READY, failed ones keep what was serving, versions no
// longer selected start unloading. Then the replaced and removed versions drain.
Status ModelManager::SwitchTo(const std::string& name, const std::vector<int64_t>& versions,
                              std::vector<Loaded>& loaded) {
  std::vector<VersionSlot> retired;
  std::vector<std::string> failures;
  Status first_failure;
  {
    absl::MutexLock lock(&mu_);
    ModelRecord& record = models_[name];
    record.unloaded = false;
    record.reason.clear();
    for (int64_t version : versions) {
      auto it = record.versions.find(version);
      if (it != record.versions.end() && it->second.state == VersionState::kReady) {
        it->second.reason.clear();  // a failure of an earlier reload no longer applies
      }
    }
    for (auto& [version, result] : loaded) {
      VersionSlot& slot = record.versions[version];
      if (result.ok() && shutting_down_) {
        retired.push_back({VersionState::kUnloading, "", result->handle, result->destroyed});
        continue;
      }
      if (result.ok()) {
        if (slot.handle) retired.push_back(std::move(slot));
        slot = {VersionState::kReady, "", std::move(result->handle), result->destroyed};
        continue;
      }
      const std::string reason(result.status().message());
      const std::string version_text = std::to_string(version);
      logging::Log(
          spdlog::level::err,
          absl::StrCat("failed to load model '", name, "' version ", version, ": ", reason),
          {{"model", name}, {"version", version_text}, {"reason", reason}});
      failures.push_back(absl::StrCat("version ", version, ": ", reason));
      if (first_failure.ok()) first_failure = result.status();
      if (slot.state == VersionState::kReady) {
        slot.reason = absl::StrCat("reload failed, previous load still serving: ", reason);
      } else {
        slot = {VersionState::kUnavailable, reason, nullptr, {}};
      }
    }
    // Every selected version that serves after this (re)load, new or kept as is, gets a new
    // generation; one whose reload failed keeps its old one (it still serves its old load).
    std::set<int64_t> failed;
    for (const auto& [version, result] : loaded) {
      if (!result.ok()) failed.insert(version);
    }
    for (int64_t version : versions) {
      auto it = record.versions.find(version);
      if (it == record.versions.end() || failed.contains(version)) continue;
      if (it->second.state == VersionState::kReady) it->second.generation = ++last_generation_;
    }
    // Versions no longer selected stop serving, unless the load failed: then what served before
    // keeps serving (a broken new version must not take the old one down).
    const std::set<int64_t> selected(versions.begin(), versions.end());
    for (auto& [version, slot] : record.versions) {
      if (!failures.empty()) break;
      if (selected.contains(version) || slot.state != VersionState::kReady) continue;
      retired.push_back({VersionState::kUnloading, "", std::move(slot.handle), slot.destroyed});
      slot = {VersionState::kUnloading, "", nullptr, {}};
    }
  }
  LogUnloading(name, retired);
  Retire(std::move(retired));
  {
    absl::MutexLock lock(&mu_);
    for (auto& [version, slot] : models_[name].versions) {
      if (slot.state == VersionState::kUnloading) slot = {VersionState::kUnavailable, "unloaded"};
    }
  }
  if (failures.empty()) return absl::OkStatus();
  return Status(first_failure.code(),
                absl::StrCat("failed to load model '", name, "': ", absl::StrJoin(failures, "; ")));
}

void ModelManager::Retire(std::vector<VersionSlot> retired) {
  std::vector<std::pair<int64_t, std::shared_future<void>>> pending;
  for (auto& slot : retired) {
    pending.emplace_back(slot.handle->version(), slot.destroyed);
    slot.handle.reset();  // requests still holding the version keep it alive and finish
  }
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.unload_timeout);
  for (const auto& [version, destroyed] : pending) {
    if (destroyed.wait_until(deadline) != std::future_status::ready) {
      spdlog::warn(
          "version {} still has requests after the unload timeout; it is released "
          "when they finish",
          version);
    }
  }
}

Status ModelManager::Fail(const std::string& name, const Status& status) {
  const std::string reason(status.message());
  logging::Log(spdlog::level::err, absl::StrCat("failed to load model '", name, "': ", reason),
               {{"model", name}, {"reason", reason}});
  absl::MutexLock lock(&mu_);
  ModelRecord& record = models_[name];
  record.reason = reason;
  for (auto& [version, slot] : record.versions) {
    if (slot.state == VersionState::kReady) {
      slot.reason = absl::StrCat("reload failed, previous load still serving: ", reason);
    }
  }
  return status;
}

void ModelManager::SetLoading(const std::string& name, int64_t version) {
  absl::MutexLock lock(&mu_);
  models_[name].versions[version] = {VersionState::kLoading, "", nullptr, {}};
}

Status ModelManager::Unload(const std::string& name) {
  RETURN_IF_ERROR(repository::ValidateModelName(name));
  {
    // A load of this model in progress stops at its next instance instead of making the unload
    // wait for the whole of it.
    absl::MutexLock lock(&mu_);
    if (auto it = loading_.find(name); it != loading_.end()) it->second->Cancel();
  }
  auto op = OperationLock(name);
  absl::MutexLock op_lock(op.get());
  std::vector<VersionSlot> retired;
  {
    absl::MutexLock lock(&mu_);
    auto it = models_.find(name);
    if (it == models_.end()) {
      return core::UnknownModelError(name);
    }
    if (auto dependents = DependentsLocked(name); !dependents.empty()) {
      // Triton's unload_dependents is not offered: the ensembles go first, on purpose.
      Status refused = absl::FailedPreconditionError(
          absl::StrCat("model '", name, "' is a step of the loaded ensemble(s) '",
                       absl::StrJoin(dependents, "', '"), "': unload them first"));
      spdlog::warn("{}", std::string(refused.message()));
      return refused;
    }
    it->second.unloaded = true;
    it->second.reason.clear();
    it->second.stamp.clear();
    for (auto& [version, slot] : it->second.versions) {
      if (slot.handle) retired.push_back(std::move(slot));
      slot = {VersionState::kUnloading, "", nullptr, {}};
    }
  }
  LogUnloading(name, retired);
  Retire(std::move(retired));
  absl::MutexLock lock(&mu_);
  for (auto& [version, slot] : models_[name].versions) {
    if (slot.state == VersionState::kUnloading) slot = {VersionState::kUnavailable, "unloaded"};
  }
  logging::Log(spdlog::level::info, absl::StrCat("unloaded model '", name, "'"), {{"model", name}});
  return absl::OkStatus();
}

void ModelManager::LoadAsync(std::string name,
                             std::optional<::inference::ModelConfig> config_override,
                             std::function<void(Status)> done) {
  absl::ReleasableMutexLock lock(&mu_);
  if (shutting_down_) {
    lock.Release();
    return done(absl::UnavailableError("the server is shutting down"));
  }
  pool_->Post([this, name = std::move(name), config = std::move(config_override),
               done = std::move(done)]() mutable { done(Load(name, std::move(config))); });
}

void ModelManager::UnloadAsync(std::string name, std::function<void(Status)> done) {
  absl::ReleasableMutexLock lock(&mu_);
  if (shutting_down_) {
    lock.Release();
    return done(absl::UnavailableError("the server is shutting down"));
  }
  pool_->Post([this, name = std::move(name), done = std::move(done)] { done(Unload(name)); });
}

void ModelManager::Poll() {
  auto dirs =
      repository::ScanRepositories(options_.repositories, options_.allow_repository_symlinks);
  if (!dirs.ok()) {
    spdlog::error("cannot poll the model repository: {}", std::string(dirs.status().message()));
    return;
  }
  std::vector<std::pair<std::string, std::string>> stamps;
  for (const auto& dir : *dirs) stamps.emplace_back(dir.name, repository::ModelDirStamp(dir));
  std::vector<std::function<void()>> tasks;
  {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) return;
    std::set<std::string> present;
    for (const auto& [name, stamp] : stamps) {
      present.insert(name);
      auto it = models_.find(name);
      if (it != models_.end() && it->second.stamp == stamp) continue;
      tasks.push_back([this, name = name] { (void)Load(name, std::nullopt); });
    }
    for (const auto& [name, record] : models_) {
      if (present.contains(name) || record.unloaded) continue;
      tasks.push_back([this, name = name] { (void)Unload(name); });
    }
  }
  RunOnPool(tasks);
}

void ModelManager::UnloadAll() {
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    for (auto& [name, cancel] : loading_) cancel->Cancel();
  }
  // Waits for running loads (cancelled: they stop at their next instance); queued ones run and
  // are refused. No one posts after the flag.
  pool_.reset();
  std::vector<VersionSlot> retired;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [name, record] : models_) {
      for (auto& [version, slot] : record.versions) {
        if (slot.handle) retired.push_back(std::move(slot));
        slot = {VersionState::kUnavailable, "unloaded", nullptr, {}};
      }
    }
  }
  Retire(std::move(retired));
}

}  // namespace inferd::lifecycle
