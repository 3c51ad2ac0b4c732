#include "scheduler/direct_scheduler.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::scheduler {

DirectScheduler::DirectScheduler(DirectSchedulerOptions options,
                                 std::vector<std::unique_ptr<backend::Instance>> instances)
    : options_(std::move(options)), instances_(std::move(instances)) {
  workers_.reserve(instances_.size());
  for (auto& instance : instances_) {
    workers_.emplace_back([this, &inst = *instance] { WorkerLoop(inst); });
  }
}

DirectScheduler::~DirectScheduler() { Shutdown(); }

void DirectScheduler::Enqueue(std::unique_ptr<core::InferenceRequest> request,
                              core::ResponseCallback done) {
  Status rejected;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      rejected = absl::UnavailableError(
          absl::StrCat("model '", options_.model_name, "' is shutting down"));
    } else if (options_.max_queue_size > 0 && queue_.size() >= options_.max_queue_size) {
      rejected = absl::UnavailableError(absl::StrCat(
          "Exceeds maximum queue size (", options_.max_queue_size, ") of model '",
          options_.model_name, "'"));
    } else {
      queue_.push_back(Job{std::move(request), std::move(done)});
    }
  }
  if (!rejected.ok()) {
    std::move(done)(rejected);
    return;
  }
  cv_.notify_one();
}

void DirectScheduler::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  // Workers drain the queue before they exit, so no accepted request is dropped.
  workers_.clear();
}

void DirectScheduler::WorkerLoop(backend::Instance& instance) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Run(instance, std::move(job));
  }
}

void DirectScheduler::Run(backend::Instance& instance, Job job) const {
  auto& request = *job.request;
  auto outputs = instance.Execute(request.inputs, request.requested_outputs);
  if (!outputs.ok()) {
    std::move(job.done)(outputs.status());
    return;
  }
  core::InferenceResponse response{options_.model_name, options_.model_version, request.id,
                                   std::move(outputs).value()};
  std::move(job.done)(std::move(response));
}

}  // namespace inferd::scheduler
