// BatchingScheduler: the scheduler behind every model version. One worker thread per backend
// instance; a free worker takes the next batch from a priority queue (RequestQueue) and runs it
// on its instance, so instances run concurrently and a batch always goes to a free instance.
//
// Without dynamic batching each request runs alone. With it (Triton's dynamic batcher) a worker
// gathers compatible queued requests (same inputs apart from dimension 0, same requested
// outputs) up to max_batch_size, counted in rows of dimension 0; it sends at once when the
// batch reaches the largest preferred size (or max_batch_size), when the next request cannot
// join, or when max_queue_delay is 0; otherwise it waits until the oldest request has waited
// max_queue_delay, then sends the largest preferred size reached (or all it has). A batch of one
// runs on the request's own input buffers; larger batches are gathered into per-instance pooled
// buffers and outputs are scattered back as zero-copy views. With preserve_ordering responses
// are delivered in the order their batches were formed.
//
// Thread-safe: Enqueue may be called from any thread and never waits for inference (only a
// short mutex). Callbacks run without scheduler locks, on a worker thread, or on the caller's
// thread for immediate rejections. Shutdown (also run by the destructor) stops accepting, runs
// every queued request and joins the workers; it must not be called from a callback.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "backend/backend.h"
#include "scheduler/batch.h"
#include "scheduler/request_queue.h"
#include "scheduler/response_orderer.h"
#include "scheduler/scheduler.h"
#include "scheduler/scheduler_context.h"

namespace inferd::scheduler {

struct BatchingOptions {
  std::string model_name;
  int64_t model_version = 0;
  int64_t max_batch_size = 0;     // 0 = the model has no batch dimension
  bool dynamic_batching = false;  // false = every request runs alone
  std::vector<int64_t> preferred_batch_sizes;
  Clock::Duration max_queue_delay{};
  bool preserve_ordering = false;
  QueueConfig queue;
  // Requests of a model whose batch-of-one execution averages under this run on the caller's
  // (IO) thread when an instance is idle and nothing is queued: for tiny models the two thread
  // hand-offs cost far more than the model. Zero = never.
  Clock::Duration inline_below{};
};

class BatchingScheduler final : public Scheduler {
 public:
  BatchingScheduler(BatchingOptions options,
                    std::vector<std::unique_ptr<backend::Instance>> instances,
                    SchedulerContext context);
  ~BatchingScheduler() override;
  BatchingScheduler(const BatchingScheduler&) = delete;
  BatchingScheduler& operator=(const BatchingScheduler&) = delete;

  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override;
  // The queue's room as of its last change (one atomic load): the HTTP front end asks it for
  // every inference request head, so it must not contend with the workers for `mu_`.
  bool Admits() const override { return admits_.load(std::memory_order_relaxed); }
  void Shutdown() override;

  const std::shared_ptr<StatsRecorder>& stats() const { return stats_; }

 private:
  struct Worker {
    std::unique_ptr<backend::Instance> instance;
    GatherPool pool;
    bool idle = false;  // guarded by mu_: waiting for work with an empty queue
    bool lent = false;  // guarded by mu_: its instance is running a request inline
    // guarded by mu_: woke while lent and waits for the instance to come back, so the inline
    // caller must wake it (otherwise it sleeps on, and the caller need not signal at all)
    bool awaiting_return = false;
  };
  struct Plan {
    size_t count = 0;
    int64_t rows = 0;
    bool ready = false;
    Clock::TimePoint oldest = Clock::TimePoint::max();
  };
  struct Formed {
    std::vector<QueuedRequest> requests;
    Clock::TimePoint at;
    uint64_t first_slot = 0;
  };

  void WorkerLoop(Worker& worker);
  // Under `lock`: fills `batch` and/or `dropped`; false when stopping with nothing left.
  bool NextBatch(Worker& worker, Formed& batch, std::vector<DroppedRequest>& dropped)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs `entry` on the caller's thread if the fast path applies; false = enqueue it normally.
  bool TryRunInline(QueuedRequest& entry) ABSL_LOCKS_EXCLUDED(mu_);
  bool InlineEligible() const;
  Plan PlanBatch(Clock::TimePoint now, std::vector<DroppedRequest>& dropped)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool IsPreferred(int64_t rows) const;
  void RunBatch(Worker& worker, Formed& batch);
  void Deliver(QueuedRequest& entry, StatusOr<core::InferenceResponse> result, uint64_t slot);
  void Fail(QueuedRequest& entry, Status status);
  // After every change of the queue: its length for the statistics, its room for Admits().
  void QueueChanged() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const BatchingOptions options_;
  const int64_t max_rows_;   // rows a batch may hold
  const int64_t send_rows_;  // rows at which a batch is sent without waiting
  Clock* const clock_;
  const std::shared_ptr<StatsRecorder> stats_;
  ResponseOrderer orderer_;
  std::vector<std::unique_ptr<Worker>> workers_;

  absl::Mutex mu_;
  absl::CondVar cv_;
  RequestQueue queue_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // bumped by each enqueue: waiting workers re-plan
  std::atomic<int64_t> single_infer_ns_{INT64_MAX};  // moving average of batch-of-one Execute
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> admits_{true};     // written under mu_ (QueueChanged), read without it
  std::vector<std::jthread> threads_;  // last: joined before the state above is destroyed
};

}  // namespace inferd::scheduler
