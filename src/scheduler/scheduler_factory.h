// Creates the scheduler a completed model config asks for, so the lifecycle layer needs no
// knowledge of scheduler types: `ensemble_scheduling` → the ensemble scheduler (its steps run on
// their own models' schedulers); `platform: "text_reader"` → the text reader's scheduler (the same,
// for the models its parameters name); no `dynamic_batching` → every request runs alone on a free
// instance; `dynamic_batching` → Triton's dynamic batcher with its queue policies. Pure factory.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "common/status.h"
#include "model_config.pb.h"
#include "scheduler/scheduler.h"
#include "scheduler/scheduler_context.h"

namespace inferd::scheduler {

// Takes ownership of `instances` (one worker thread each). InvalidArgument for no instances or
// a preferred batch size outside [1, max_batch_size].
StatusOr<std::unique_ptr<Scheduler>> CreateScheduler(
    const ::inference::ModelConfig& completed_config, int64_t version,
    std::vector<std::unique_ptr<backend::Instance>> instances, SchedulerContext context);

}  // namespace inferd::scheduler
