// DirectScheduler: no batching. One worker thread per backend instance takes the oldest queued
// request and runs it alone on that instance. The queue is bounded: a full queue rejects at once
// with Unavailable (backpressure instead of unbounded growth).
//
// Owns its instances and threads. Thread-safe (see scheduler.h). The destructor shuts down.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backend/backend.h"
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
                  std::vector<std::unique_ptr<backend::Instance>> instances);
  ~DirectScheduler() override;
  DirectScheduler(const DirectScheduler&) = delete;
  DirectScheduler& operator=(const DirectScheduler&) = delete;

  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override;
  void Shutdown() override;

 private:
  struct Job {
    std::unique_ptr<core::InferenceRequest> request;
    core::ResponseCallback done;
  };
  void WorkerLoop(backend::Instance& instance);
  void Run(backend::Instance& instance, Job job) const;

  const DirectSchedulerOptions options_;
  std::vector<std::unique_ptr<backend::Instance>> instances_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::jthread> workers_;
};

}  // namespace inferd::scheduler
