// `inferd check-repository`: reads model repositories without serving them and says, per model
// version, whether `inferd serve` would load it and why not. It walks the same steps as a load
// (ScanRepositories, PlanModelLoad, IdentifyVersion, and with `open_models` LoadModelVersion), so
// it cannot say "loads" for something serve refuses on those steps, nor the reverse.
//
// Without `open_models` no runtime is started: model files are checked to exist and be readable
// (their digest is computed, as a load does), but not opened, so a corrupt model file or a config
// that does not match the model's inputs shows only with `open_models`.
//
// Thread-compatible: call from one thread.
#pragma once

#include <string>
#include <vector>

#include "backend/registry/backend_registry.h"
#include "common/status.h"
#include "lifecycle/model_manager.h"

namespace inferd::lifecycle {

enum class CheckVerdict { kOk, kWarn, kFail };
const char* CheckVerdictName(CheckVerdict verdict);  // "OK", "WARN", "FAIL"

struct CheckRow {
  std::string model;
  std::string version;  // empty: the whole model (it failed before any version was looked at)
  std::string backend;  // the backend it would load with; empty when none could be chosen
  CheckVerdict verdict = CheckVerdict::kOk;
  // FAIL: why it does not load; WARN: what is ignored (file:line:column); one line each.
  std::vector<std::string> reasons;
};

struct CheckReport {
  std::vector<CheckRow> rows;  // by model name, then version
  bool AllLoad() const;        // no FAIL row (WARN loads)
};

// InvalidArgument when a repository folder cannot be read (as serve then refuses to start).
StatusOr<CheckReport> CheckRepositories(const backend::BackendRegistry& backends,
                                        const ManagerOptions& options, bool open_models);

}  // namespace inferd::lifecycle
