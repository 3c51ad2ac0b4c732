// What a model's load will do, decided before any model file is opened: its config (read and
// checked against the field rules, repository/config_fields.h), its backend (the registry), the
// backend's check of the settings it reads (instance kinds, parameters), the instance bound, and
// the versions its policy selects. ModelManager loads from a plan and `inferd check-repository`
// reports one, so the two cannot disagree about a model.
//
// Pure over the filesystem; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/registry/backend_registry.h"
#include "common/status.h"
#include "lifecycle/model_manager.h"
#include "repository/config_autocomplete.h"
#include "repository/repository_scanner.h"

namespace inferd::lifecycle {

struct LoadPlan {
  ::inference::ModelConfig config;  // as written, plus the backend's names and default file
  const backend::RegisteredBackend* backend = nullptr;
  std::vector<int64_t> versions;  // selected by version_policy, with a folder, ascending
  // Not failures: ignored config fields (file:line:column) and versions the policy lists that
  // have no folder. The server logs them as warnings.
  std::vector<std::string> warnings;
};

// The plan for `dir` (`config_override` replaces its config.pbtxt, as the load API allows), or
// why the model cannot load.
StatusOr<LoadPlan> PlanModelLoad(const repository::ModelDir& dir,
                                 const std::optional<::inference::ModelConfig>& config_override,
                                 const backend::BackendRegistry& backends,
                                 const ManagerOptions& options);

// The completion options every version of `model` loads with under `options`.
repository::AutoCompleteOptions CompletionOptions(const std::string& model,
                                                  const ManagerOptions& options);

}  // namespace inferd::lifecycle
