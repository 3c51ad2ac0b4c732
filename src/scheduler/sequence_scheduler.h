// SequenceScheduler: Triton's sequence batcher, the scheduler of a model with
// `sequence_batching` (a stateful model). Every request names its sequence by a correlation id;
// the first request of a sequence carries sequence_start, the last sequence_end. Requests of one
// sequence run one at a time, in the order they arrived, each with the control tensors the
// config asks for (START, END, READY, CORRID) and the sequence's implicit state (the previous
// request's state outputs, zeros at the start). Requests of different sequences are batched
// together (one row each).
//
// Strategies: `direct` pins each sequence to one batch slot of one instance for its lifetime
// (instances x max(max_batch_size, 1) slots), so an instance only ever batches its own
// sequences; `oldest` keeps up to max_candidate_sequences sequences and any free instance takes
// the oldest ready requests, up to the largest preferred batch size. Both wait up to
// max_queue_delay for a fuller batch. A sequence without a request for
// max_sequence_idle_microseconds is released (its slot and state freed); a later request without
// START for it is refused.
//
// Refused at once (the callback runs on the caller's thread): a request without a sequence id
// (InvalidArgument), one for a sequence that is not active and does not start one
// (InvalidArgument), a new sequence when every slot or candidate is taken (Unavailable; Triton
// would queue it in a backlog), and a batch size other than 1.
//
// Thread-safe as BatchingScheduler: Enqueue from any thread takes only a short mutex; callbacks
// run without the lock, on instance workers; Shutdown (also run by the destructor) runs every
// queued request, then joins the workers.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "backend/backend.h"
#include "core/sequence_controls.h"
#include "scheduler/batch.h"
#include "scheduler/request_queue.h"
#include "scheduler/scheduler.h"
#include "scheduler/scheduler_context.h"

namespace inferd::scheduler {

struct SequenceOptions {
  std::string model_name;
  int64_t model_version = 0;
  int64_t max_batch_size = 0;          // 0 = the model has no batch dimension: batches of one
  bool oldest = false;                 // false = the direct strategy
  size_t max_candidate_sequences = 0;  // oldest: concurrent sequences (0 = 1024)
  std::vector<int64_t> preferred_batch_sizes;  // oldest only
  Clock::Duration max_queue_delay{};
  Clock::Duration max_idle = std::chrono::seconds(1);  // Triton's default
  core::SequenceControls controls;
};

class SequenceScheduler final : public Scheduler {
 public:
  SequenceScheduler(SequenceOptions options,
                    std::vector<std::unique_ptr<backend::Instance>> instances,
                    SchedulerContext context);
  ~SequenceScheduler() override;
  SequenceScheduler(const SequenceScheduler&) = delete;
  SequenceScheduler& operator=(const SequenceScheduler&) = delete;

  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override;
  void Shutdown() override;

  // Sequences holding a slot (started, not ended or released). For tests and logs.
  size_t ActiveSequences() const ABSL_LOCKS_EXCLUDED(mu_);
  size_t capacity() const { return capacity_; }
  const std::shared_ptr<StatsRecorder>& stats() const { return stats_; }

 private:
  struct Sequence {
    core::CorrelationId id;
    size_t worker = 0;  // direct: the instance whose slot it holds
    std::deque<QueuedRequest> pending;
    std::vector<core::Tensor> state;  // one per controls.states once a request has run
    bool in_flight = false;
    bool ended = false;  // its END request is queued or ran: later requests need START
    Clock::TimePoint last_activity;
  };
  struct Picked {
    Sequence* sequence = nullptr;
    QueuedRequest entry;
    std::vector<core::Tensor> state;
  };
  struct Worker {
    std::unique_ptr<backend::Instance> instance;
    GatherPool pool;
    size_t sequences = 0;  // guarded by mu_: direct slots taken on this instance
  };

  Status Admit(QueuedRequest& entry, Clock::TimePoint now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WorkerLoop(size_t index);
  bool NextBatch(size_t index, std::vector<Picked>& batch, std::vector<DroppedRequest>& dropped)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops cancelled heads and releases idle sequences; returns the next idle deadline.
  Clock::TimePoint Sweep(Clock::TimePoint now, std::vector<DroppedRequest>& dropped)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Erase(Sequence* sequence) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunBatch(Worker& worker, std::vector<Picked>& batch);
  // Before delivery: stores new states and erases ended sequences (their slots free at once).
  void Settle(std::vector<Picked>& batch, std::vector<std::vector<core::Tensor>>* states)
      ABSL_LOCKS_EXCLUDED(mu_);
  // After delivery: the other sequences may run their next request.
  void Release(std::vector<Picked>& batch) ABSL_LOCKS_EXCLUDED(mu_);
  void Fail(QueuedRequest& entry, Status status);

  const SequenceOptions options_;
  const bool batched_;
  const int64_t max_rows_;
  const int64_t send_rows_;
  const size_t capacity_;
  Clock* const clock_;
  const std::shared_ptr<StatsRecorder> stats_;
  std::vector<std::unique_ptr<Worker>> workers_;

  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  absl::flat_hash_map<std::string, std::unique_ptr<Sequence>> sequences_ ABSL_GUARDED_BY(mu_);
  std::deque<Sequence*> ready_ ABSL_GUARDED_BY(mu_);  // pending requests, not in flight
  int64_t pending_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::jthread> threads_;  // last: joined before the state above is destroyed
};

}  // namespace inferd::scheduler
