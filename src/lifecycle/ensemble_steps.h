// What lifecycle does for ensembles: it resolves their steps to the versions serving now (the
// scheduler's StepResolver, backed by the model manager), and it keeps loads and unloads in
// dependency order (an ensemble loads its steps first; a step a loaded ensemble uses is not
// unloaded under it).
//
// Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"
#include "lifecycle/model_version.h"
#include "model_config.pb.h"
#include "scheduler/step_resolver.h"

namespace inferd::lifecycle {

// The distinct models an ensemble's steps name, in step order, or a text reader's models
// (core/text_reader.h: it depends on them as an ensemble on its steps); empty for any other
// model.
std::vector<std::string> EnsembleStepModels(const ::inference::ModelConfig& config);

// Resolves steps through `get` (the manager's Get) until Detach: an ensemble version that outlives
// its manager (a request still running at shutdown) then finds no step instead of a dangling
// manager.
class ManagerStepResolver : public scheduler::StepResolver {
 public:
  using Getter = std::function<StatusOr<ModelHandle>(std::string_view, int64_t)>;
  explicit ManagerStepResolver(Getter get) : get_(std::move(get)) {}
  void Detach() ABSL_LOCKS_EXCLUDED(mu_);
  StatusOr<scheduler::StepTarget> ResolveStep(std::string_view model,
                                              int64_t version) const override;

 private:
  mutable absl::Mutex mu_;
  Getter get_ ABSL_GUARDED_BY(mu_);
};

// Finds a cycle through ensembles starting at `name` (an ensemble that is, through its steps,
// its own step), reading configs with `config_of` (NotFound: not in the repository, not an
// ensemble's concern here). InvalidArgument naming the cycle.
Status CheckEnsembleCycle(
    const std::string& name,
    const std::function<StatusOr<::inference::ModelConfig>(const std::string&)>& config_of);

}  // namespace inferd::lifecycle
