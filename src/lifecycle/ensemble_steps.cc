#include "lifecycle/ensemble_steps.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/ensemble_graph.h"
#include "core/text_reader.h"

namespace inferd::lifecycle {
namespace {

Status VisitEnsembleSteps(
    const std::string& name,
    const std::function<StatusOr<::inference::ModelConfig>(const std::string&)>& config_of,
    std::vector<std::string>& path) {
  if (std::find(path.begin(), path.end(), name) != path.end()) {
    path.push_back(name);
    return absl::InvalidArgumentError(
        absl::StrCat("ensemble cycle: ", absl::StrJoin(path, " -> ")));
  }
  auto config = config_of(name);
  if (!config.ok()) return absl::OkStatus();  // its own load reports it
  path.push_back(name);
  for (const auto& step : EnsembleStepModels(*config)) {
    RETURN_IF_ERROR(VisitEnsembleSteps(step, config_of, path));
  }
  path.pop_back();
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> EnsembleStepModels(const ::inference::ModelConfig& config) {
  std::vector<std::string> models;
  if (core::IsTextReader(config)) {
    auto spec = core::ParseTextReaderSpec(config);
    return spec.ok() ? core::TextReaderModels(*spec) : models;  // its own load reports a bad one
  }
  if (!core::IsEnsemble(config)) return models;
  for (const auto& step : config.ensemble_scheduling().step()) {
    if (std::find(models.begin(), models.end(), step.model_name()) == models.end()) {
      models.push_back(step.model_name());
    }
  }
  return models;
}

void ManagerStepResolver::Detach() {
  absl::MutexLock lock(&mu_);
  get_ = nullptr;
}

StatusOr<scheduler::StepTarget> ManagerStepResolver::ResolveStep(std::string_view model,
                                                                 int64_t version) const {
  absl::ReaderMutexLock lock(&mu_);
  if (!get_) return absl::UnavailableError("the server is shutting down");
  ASSIGN_OR_RETURN(ModelHandle handle, get_(model, version));
  scheduler::StepTarget target;
  target.version = handle->version();
  // Both alias the version: holding either keeps it (and its scheduler) alive.
  target.config = std::shared_ptr<const ::inference::ModelConfig>(handle, &handle->config());
  target.scheduler = std::shared_ptr<scheduler::Scheduler>(handle, &handle->scheduler());
  target.record_invalid = [handle](std::chrono::nanoseconds duration) {
    handle->RecordInvalidRequest(duration);
  };
  target.assets = handle->assets();
  return target;
}

Status CheckEnsembleCycle(
    const std::string& name,
    const std::function<StatusOr<::inference::ModelConfig>(const std::string&)>& config_of) {
  std::vector<std::string> path;
  return VisitEnsembleSteps(name, config_of, path);
}

}  // namespace inferd::lifecycle
