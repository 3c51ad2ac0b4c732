// What a scheduler borrows from its owner: the clock it measures delays and timeouts with, and
// the statistics recorder it fills. Both may be left null (the steady clock and a private
// recorder are used). The clock must outlive the scheduler; the recorder is shared so a metrics
// or statistics reader may keep reading it after the scheduler is gone.
#pragma once

#include <memory>

#include "common/clock.h"
#include "scheduler/stats_recorder.h"
#include "scheduler/step_resolver.h"

namespace inferd::scheduler {

struct SchedulerContext {
  Clock* clock = nullptr;
  std::shared_ptr<StatsRecorder> stats;
  // See BatchingOptions::inline_below. Zero (the default, and what tests with gated fake
  // instances need) keeps every request on the instance workers.
  Clock::Duration inline_below{};
  // Where an ensemble finds its steps' models (the model manager). Null: an ensemble still
  // builds (its graph is checked) but answers every request Unavailable, as for a check that
  // loads models without serving them.
  std::shared_ptr<const StepResolver> steps;
};

}  // namespace inferd::scheduler
