#include "lifecycle/repository_check.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/ensemble_graph.h"
#include "core/text_reader.h"
#include "lifecycle/ensemble_steps.h"
#include "lifecycle/load_plan.h"
#include "lifecycle/model_loader.h"

namespace inferd::lifecycle {
namespace {

// A status message can hold several problems, one per line (every refused field, say).
std::vector<std::string> ReasonLines(const Status& status) {
  std::vector<std::string> lines = absl::StrSplit(status.message(), '\n', absl::SkipEmpty());
  if (lines.empty()) lines.push_back(status.ToString());
  return lines;
}

CheckRow FailedRow(std::string model, std::string version, std::string backend,
                   const Status& status) {
  return {std::move(model), std::move(version), std::move(backend), CheckVerdict::kFail,
          ReasonLines(status)};
}

// One version, as Sync loads it: identify (the model file exists inside the repository and is
// readable), then, when asked, the whole load (open, complete and validate the config, create
// the instances, warm up) and drop the result.
Status CheckVersion(const repository::ModelDir& dir, const LoadPlan& plan, int64_t version,
                    const ManagerOptions& options, bool open_models) {
  ASSIGN_OR_RETURN(Artifact artifact, IdentifyVersion(dir, version, plan.config));
  if (!open_models) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto loaded,
                   LoadModelVersion(*plan.backend, dir, version, plan.config,
                                    CompletionOptions(dir.name, options), std::move(artifact),
                                    core::CancellationFlag{}, options.buckets));
  return absl::OkStatus();
}

// An ensemble (or a text reader) loads only when every step's model does: each must be in the
// repository and plan a load (its own rows say more).
Status CheckEnsembleStepModels(const LoadPlan& plan,
                               const std::map<std::string, StatusOr<LoadPlan>>& plans) {
  if (core::IsTextReader(plan.config)) {
    for (const auto& model : EnsembleStepModels(plan.config)) {
      auto it = plans.find(model);
      const std::string named = absl::StrCat("model '", model, "'");
      if (it == plans.end()) {
        return absl::NotFoundError(absl::StrCat(named, " is not in the model repository"));
      }
      if (!it->second.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(named, " does not load (see its row)"));
      }
    }
    return absl::OkStatus();
  }
  if (!core::IsEnsemble(plan.config)) return absl::OkStatus();
  const auto& steps = plan.config.ensemble_scheduling().step();
  for (int i = 0; i < steps.size(); ++i) {
    const std::string& model = steps[i].model_name();
    auto it = plans.find(model);
    const std::string step = absl::StrCat("step ", i + 1, " (model '", model, "')");
    if (it == plans.end()) {
      return absl::NotFoundError(absl::StrCat(step, " is not in the model repository"));
    }
    if (!it->second.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(step, " does not load (see its row)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

const char* CheckVerdictName(CheckVerdict verdict) {
  switch (verdict) {
    case CheckVerdict::kOk:
      return "OK";
    case CheckVerdict::kWarn:
      return "WARN";
    case CheckVerdict::kFail:
      return "FAIL";
  }
  return "FAIL";
}

bool CheckReport::AllLoad() const {
  return std::none_of(rows.begin(), rows.end(),
                      [](const CheckRow& row) { return row.verdict == CheckVerdict::kFail; });
}

StatusOr<CheckReport> CheckRepositories(const backend::BackendRegistry& backends,
                                        const ManagerOptions& options, bool open_models) {
  ASSIGN_OR_RETURN(auto dirs, repository::ScanRepositories(options.repositories,
                                                           options.allow_repository_symlinks));
  CheckReport report;
  std::map<std::string, StatusOr<LoadPlan>> plans;
  for (const auto& dir : dirs) {
    plans.emplace(dir.name, PlanModelLoad(dir, std::nullopt, backends, options));
  }
  for (const auto& dir : dirs) {
    const auto& plan = plans.at(dir.name);
    if (!plan.ok()) {
      report.rows.push_back(FailedRow(dir.name, "", "", plan.status()));
      continue;
    }
    if (Status steps = CheckEnsembleStepModels(*plan, plans); !steps.ok()) {
      report.rows.push_back(FailedRow(dir.name, "", plan->backend->name(), steps));
      continue;
    }
    const std::string& backend = plan->backend->name();
    for (int64_t version : plan->versions) {
      const std::string version_text = std::to_string(version);
      if (Status s = CheckVersion(dir, *plan, version, options, open_models); !s.ok()) {
        report.rows.push_back(FailedRow(dir.name, version_text, backend, s));
        continue;
      }
      CheckRow row{dir.name, version_text, backend, CheckVerdict::kOk, plan->warnings};
      if (!row.reasons.empty()) row.verdict = CheckVerdict::kWarn;
      report.rows.push_back(std::move(row));
    }
  }
  return report;
}

}  // namespace inferd::lifecycle
