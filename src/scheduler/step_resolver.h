// How an ensemble (or a text reader) reaches the models its steps name: the model manager resolves
// (model, version) to the version that serves it now, and the ensemble scheduler enqueues the
// step's request on that version's own scheduler, so the step is batched, queued and counted as any
// request for that model. The scheduler layer declares the interface; lifecycle implements it (it
// owns the versions), so the scheduler never depends on lifecycle.
//
// Thread-safe: ResolveStep is called from any thread, per step of every ensemble request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "common/status.h"
#include "model_config.pb.h"
#include "preprocess/model_assets.h"
#include "scheduler/scheduler.h"

namespace inferd::scheduler {

// One serving version of a step's model. `scheduler` and `config` stay valid while the target
// (or a copy) is held: they share ownership of the version, which cannot be destroyed under a
// step's request.
struct StepTarget {
  int64_t version = 0;
  std::shared_ptr<const ::inference::ModelConfig> config;  // the completed config
  std::shared_ptr<Scheduler> scheduler;
  // Counts a step request that failed validation against the step's model in that model's own
  // statistics (as a request failing validation at the front door is).
  std::function<void(std::chrono::nanoseconds)> record_invalid;
  // The version's pipeline and labels (a text reader prepares and decodes its steps' requests
  // with them). Null when the resolver has none.
  std::shared_ptr<const preprocess::ModelAssets> assets;
};

class StepResolver {
 public:
  virtual ~StepResolver() = default;
  // `version` 0 = the highest READY version (Triton's model_version -1). The manager's errors
  // (NotFound: no such model or version; Unavailable: not READY, with the reason) otherwise.
  virtual StatusOr<StepTarget> ResolveStep(std::string_view model, int64_t version) const = 0;
};

}  // namespace inferd::scheduler
