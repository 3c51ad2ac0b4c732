// DirectScheduler: no batching. One worker thread per backend instance takes the oldest queued
// request and runs it alone on that instance. The queue is bounded: a full queue rejects at once
// with Unavailable (backpressure instead of unbounded growth).
//
// Kept for callers that build a scheduler by hand; new code uses CreateScheduler
// (scheduler_factory.h). A thin wrapper over BatchingScheduler with batching off.
// Owns its instances and threads. Thread-safe (see scheduler.h). The destructor shuts down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "scheduler/batching_scheduler.h"
#include "scheduler/scheduler.h"

namespace inferd::scheduler {

struct DirectSchedulerOptions {
  std::string model_name;
  int64_t model_version = 0;
  size_t max_queue_size = 0;  // 0 = unbounded
};

class DirectScheduler final : public Scheduler {
 public:
  DirectScheduler(DirectSchedulerOptions options,
                  std::vector<std::unique_ptr<backend::Instance>> instances,
                  SchedulerContext context = {});

  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override {
    impl_.Enqueue(std::move(request), std::move(done));
  }
  void Shutdown() override { impl_.Shutdown(); }

 private:
  BatchingScheduler impl_;
};

}  // namespace inferd::scheduler
