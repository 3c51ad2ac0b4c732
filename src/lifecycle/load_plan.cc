#include "lifecycle/load_plan.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/ensemble_graph.h"
#include "repository/config_validation.h"
#include "repository/model_config.h"
#include "repository/version_policy.h"

namespace inferd::lifecycle {
namespace {

// The config and its ignored fields: config.pbtxt (with file:line), the override (without), or
// an empty config for auto-complete to fill.
StatusOr<repository::CheckedConfig> PlanConfig(
    const repository::ModelDir& dir, const std::optional<::inference::ModelConfig>& override) {
  if (override) {
    ASSIGN_OR_RETURN(auto ignored,
                     repository::CheckConfig(*override, absl::StrCat("the config of '", dir.name,
                                                                     "' given to the load")));
    return repository::CheckedConfig{*override, std::move(ignored)};
  }
  if (!dir.config_file) return repository::CheckedConfig{};
  ASSIGN_OR_RETURN(
      std::string text,
      repository::ReadRepositoryFile(dir.root, *dir.config_file, repository::kMaxConfigFileBytes));
  return repository::ParseCheckedConfigText(text, dir.config_file->string());
}

}  // namespace

repository::AutoCompleteOptions CompletionOptions(const std::string& model,
                                                  const ManagerOptions& options) {
  return {model, options.auto_complete, options.default_max_batch_size, options.cpu_cores,
          MaxInstancesPerModel(options)};
}

StatusOr<LoadPlan> PlanModelLoad(const repository::ModelDir& dir,
                                 const std::optional<::inference::ModelConfig>& config_override,
                                 const backend::BackendRegistry& backends,
                                 const ManagerOptions& options) {
  const std::string& name = dir.name;
  RETURN_IF_ERROR(dir.status);
  ASSIGN_OR_RETURN(auto checked, PlanConfig(dir, config_override));
  LoadPlan plan;
  plan.config = std::move(checked.config);
  for (const auto& finding : checked.ignored) plan.warnings.push_back(finding.message);
  if (plan.config.name().empty()) plan.config.set_name(name);
  if (plan.config.name() != name) {
    return absl::InvalidArgumentError(
        absl::StrCat("config names model '", plan.config.name(), "' but is for '", name, "'"));
  }
  std::vector<std::filesystem::path> version_dirs;
  std::vector<int64_t> available;
  for (const auto& [version, path] : dir.versions) {
    version_dirs.push_back(path);
    available.push_back(version);
  }
  ASSIGN_OR_RETURN(plan.backend, backends.Resolve(plan.config, version_dirs));
  plan.backend->FillIdentity(plan.config);  // before the model file's path is taken from it
  if (core::IsEnsemble(plan.config) && plan.config.platform() != "ensemble") {
    // Scheduling is the config's choice, but running steps instead of a model file is not.
    return absl::InvalidArgumentError(
        absl::StrCat("model '", name, "' has ensemble_scheduling but platform \"",
                     plan.config.platform(), "\": an ensemble has platform: \"ensemble\""));
  }
  RETURN_IF_ERROR(plan.backend->CheckConfig(plan.config));
  // Before anything is loaded: a runaway count must fail in microseconds, not after gigabytes.
  RETURN_IF_ERROR(repository::ValidateInstanceCount(plan.config, MaxInstancesPerModel(options)));
  const auto selection = repository::SelectVersions(plan.config.version_policy(), available);
  for (int64_t missing : selection.missing) {
    // As Triton: a listed version without a folder is reported, the others still load.
    plan.warnings.push_back(absl::StrCat("version ", missing, " is specified for model '", name,
                                         "', but the version folder is not present"));
  }
  if (selection.versions.empty()) {
    return absl::NotFoundError(absl::StrCat("no version of model '", name,
                                            "' to load: version folders present [",
                                            absl::StrJoin(available, ","), "]"));
  }
  plan.versions = selection.versions;
  return plan;
}

}  // namespace inferd::lifecycle
