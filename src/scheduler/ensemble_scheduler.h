// The scheduler of an ensemble (Triton's ensemble_scheduling): a request runs as a dataflow over
// the ensemble's steps. A step starts as soon as every tensor it reads exists; its request goes to
// the step model's own scheduler (so it is queued, batched with other requests for that model,
// and counted in that model's statistics), and its outputs become ensemble tensors for the steps
// after it. Tensors are handed between steps as they are (a Tensor is a view plus the owner of
// its bytes): nothing is copied. The request's cancellation token, priority and what is left of
// its timeout go with every step. A step that fails fails the request, with the step and its
// model named and the step's status code kept; a request cancelled between steps stops there.
//
// Each step resolves its model's version when it starts (StepResolver), so an ensemble follows
// reloads of its steps without being reloaded itself.
//
// Thread-safe. No thread of its own: steps are started on the thread that enqueues the request
// and on the threads that complete the steps before them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "core/ensemble_graph.h"
#include "model_config.pb.h"
#include "scheduler/scheduler.h"
#include "scheduler/stats_recorder.h"
#include "scheduler/step_resolver.h"

namespace inferd::scheduler {

// Checks an ensemble against the versions of its steps that serve now: every step resolves to a
// READY version (an ensemble is ready only when its steps are), its input_map and output_map name
// inputs and outputs of that model, every required input of the step is fed, the data types agree
// along every tensor, and a batching ensemble's steps batch at least as far. FailedPrecondition
// for a step that does not serve; InvalidArgument for a mismatch.
Status CheckEnsembleSteps(const ::inference::ModelConfig& config, const core::EnsembleGraph& graph,
                          const StepResolver& steps);

class EnsembleScheduler : public Scheduler {
 public:
  // `steps` is where the step models are found; `stats` records the ensemble's own figures
  // (request count and duration, failures; the steps' figures are their models').
  EnsembleScheduler(::inference::ModelConfig config, int64_t version, core::EnsembleGraph graph,
                    std::shared_ptr<const StepResolver> steps,
                    std::shared_ptr<StatsRecorder> stats);
  ~EnsembleScheduler() override;

  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override;
  // Refuses new requests and waits for the running ones to complete.
  void Shutdown() override;

  struct Shared;  // what every run of a request reads (config, graph, resolver, statistics)
  class Run;      // one request's dataflow

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace inferd::scheduler
