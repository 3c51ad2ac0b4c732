// The scheduler's queue: one FIFO per priority level (level 1 is served first, as in Triton),
// each with its own policy: a size limit (a full level rejects at once) and a queue timeout
// (REJECT completes the request with Unavailable; DELAY moves it behind the level's requests
// that have not timed out). Cancelled requests are dropped when met, and purged before a full
// level rejects a new request, so they never hold capacity.
//
// Policies are applied lazily while the batcher walks the queue (Visit), plus a full sweep of
// REJECT timeouts when the earliest such deadline has passed (ExpireRejects), so forming a batch
// costs the batch's length, not the queue's.
//
// Not thread-safe: owned by a scheduler and used under its mutex. Entries removed from the queue
// (dropped) are returned to the caller, who completes them after releasing its lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "core/inference_request.h"
#include "core/response_sink.h"
#include "model_config.pb.h"

namespace inferd::scheduler {

struct QueuePolicy {
  size_t max_queue_size = 0;      // 0 = unbounded
  Clock::Duration timeout{};      // 0 = no queue timeout
  bool delay_on_timeout = false;  // false = REJECT
  bool allow_timeout_override = false;
};

struct QueueConfig {
  uint64_t priority_levels = 0;  // 0 = one level
  uint64_t default_level = 0;
  QueuePolicy default_policy;
  std::map<uint64_t, QueuePolicy> level_policies;
};

QueuePolicy QueuePolicyFromProto(const ::inference::ModelQueuePolicy& policy);
QueueConfig QueueConfigFromProto(const ::inference::ModelDynamicBatching& batching);

struct QueuedRequest {
  std::unique_ptr<core::InferenceRequest> request;
  core::ResponseCallback done;
  Clock::TimePoint enqueued;
  Clock::TimePoint deadline = Clock::TimePoint::max();  // max = no timeout
  int64_t batch_size = 1;  // what this request counts towards max_batch_size
};

struct DroppedRequest {
  QueuedRequest entry;
  Status status;
};

class RequestQueue {
 public:
  explicit RequestQueue(QueueConfig config);

  // Queues `entry` (its deadline is set from the level's policy). On a full level the entry is
  // left in place and Unavailable returned; the caller completes it. Cancelled requests purged
  // to make room are appended to `dropped`.
  Status Enqueue(QueuedRequest& entry, Clock::TimePoint now, std::vector<DroppedRequest>& dropped);

  // Walks live requests in service order, calling `fn` until it returns false. Requests met on
  // the way that are cancelled or timed out are dropped or delayed first.
  void Visit(Clock::TimePoint now, std::vector<DroppedRequest>& dropped,
             const std::function<bool(const QueuedRequest&)>& fn);
  // Removes the first `n` requests in service order (those Visit just saw) into `out`.
  void PopFront(size_t n, std::vector<QueuedRequest>& out);

  // Drops every request whose REJECT deadline has passed, if the earliest one has.
  void ExpireRejects(Clock::TimePoint now, std::vector<DroppedRequest>& dropped);
  // The earliest REJECT deadline still queued (max when none): when a waiting batcher wakes.
  Clock::TimePoint NextRejectDeadline() const { return next_reject_; }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // False only when every level is at its max_queue_size, so no request could be queued whatever
  // its priority (cancelled entries still count until they are purged).
  bool HasRoom() const;

 private:
  struct Level {
    QueuePolicy policy;
    std::deque<QueuedRequest> main;
    std::deque<QueuedRequest> delayed;  // timed out under DELAY: served after `main`
    size_t size() const { return main.size() + delayed.size(); }
  };
  size_t LevelIndex(uint64_t priority) const;
  Clock::TimePoint Deadline(const QueuePolicy& policy, const core::InferenceRequest& request,
                            Clock::TimePoint now) const;
  void PurgeCancelled(Level& level, std::vector<DroppedRequest>& dropped);
  // Applies cancellation and timeout to main[i]; true when it was removed from `main`.
  bool ApplyPolicy(Level& level, size_t i, Clock::TimePoint now,
                   std::vector<DroppedRequest>& dropped);

  const uint64_t default_level_;
  std::vector<Level> levels_;
  size_t size_ = 0;
  Clock::TimePoint next_reject_ = Clock::TimePoint::max();
};

}  // namespace inferd::scheduler
