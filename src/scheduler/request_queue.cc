#include "scheduler/request_queue.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"

namespace inferd::scheduler {
namespace {

bool IsCancelled(const QueuedRequest& e) {
  return e.request->cancellation && e.request->cancellation->IsCancelled();
}

Status CancelledStatus() { return absl::CancelledError("Request was cancelled"); }
Status TimeoutStatus() { return absl::UnavailableError("Request timeout expired"); }

}  // namespace

QueuePolicy QueuePolicyFromProto(const ::inference::ModelQueuePolicy& policy) {
  QueuePolicy out;
  out.max_queue_size = policy.max_queue_size();
  out.timeout = std::chrono::microseconds(policy.default_timeout_microseconds());
  out.delay_on_timeout = policy.timeout_action() == ::inference::ModelQueuePolicy::DELAY;
  out.allow_timeout_override = policy.allow_timeout_override();
  return out;
}

QueueConfig QueueConfigFromProto(const ::inference::ModelDynamicBatching& batching) {
  QueueConfig out;
  out.priority_levels = batching.priority_levels();
  out.default_level = batching.default_priority_level();
  out.default_policy = QueuePolicyFromProto(batching.default_queue_policy());
  for (const auto& [level, policy] : batching.priority_queue_policy()) {
    out.level_policies[level] = QueuePolicyFromProto(policy);
  }
  return out;
}

RequestQueue::RequestQueue(QueueConfig config)
    : default_level_(std::clamp<uint64_t>(config.default_level, 1,
                                          std::max<uint64_t>(config.priority_levels, 1))) {
  const uint64_t n = std::max<uint64_t>(config.priority_levels, 1);
  levels_ = std::vector<Level>(n);  // constructed in place: a deque may not be nothrow-movable
  for (uint64_t level = 1; level <= n; ++level) {
    auto it = config.level_policies.find(level);
    levels_[level - 1].policy =
        it != config.level_policies.end() ? it->second : config.default_policy;
  }
}

// Triton: priority 0 means the default level, and so does a value beyond the configured levels.
size_t RequestQueue::LevelIndex(uint64_t priority) const {
  if (priority == 0 || priority > levels_.size()) return default_level_ - 1;
  return priority - 1;
}

// Triton: a request's own timeout counts only when the policy allows overrides, and only to
// shorten a (non-zero) default timeout, never to extend or to introduce one.
Clock::TimePoint RequestQueue::Deadline(const QueuePolicy& policy,
                                        const core::InferenceRequest& request,
                                        Clock::TimePoint now) const {
  Clock::Duration timeout = policy.timeout;
  const auto own = std::chrono::microseconds(request.timeout_us);
  if (policy.allow_timeout_override && request.timeout_us != 0 && own < timeout) timeout = own;
  if (timeout == Clock::Duration::zero()) return Clock::TimePoint::max();
  return now + timeout;
}

Status RequestQueue::Enqueue(QueuedRequest& entry, Clock::TimePoint now,
                             std::vector<DroppedRequest>& dropped) {
  Level& level = levels_[LevelIndex(entry.request->priority)];
  const size_t limit = level.policy.max_queue_size;
  if (limit > 0 && level.size() >= limit) PurgeCancelled(level, dropped);
  if (limit > 0 && level.size() >= limit) {
    return absl::UnavailableError(absl::StrCat("Exceeds maximum queue size (", limit, ")"));
  }
  entry.enqueued = now;
  entry.deadline = Deadline(level.policy, *entry.request, now);
  if (!level.policy.delay_on_timeout) next_reject_ = std::min(next_reject_, entry.deadline);
  level.main.push_back(std::move(entry));
  ++size_;
  return absl::OkStatus();
}

bool RequestQueue::HasRoom() const {
  return std::any_of(levels_.begin(), levels_.end(), [](const Level& level) {
    return level.policy.max_queue_size == 0 || level.size() < level.policy.max_queue_size;
  });
}

void RequestQueue::PurgeCancelled(Level& level, std::vector<DroppedRequest>& dropped) {
  for (auto* q : {&level.main, &level.delayed}) {
    auto keep = std::stable_partition(q->begin(), q->end(),
                                      [](const QueuedRequest& e) { return !IsCancelled(e); });
    for (auto it = keep; it != q->end(); ++it) {
      dropped.push_back(DroppedRequest{std::move(*it), CancelledStatus()});
    }
    size_ -= static_cast<size_t>(q->end() - keep);
    q->erase(keep, q->end());
  }
}

bool RequestQueue::ApplyPolicy(Level& level, size_t i, Clock::TimePoint now,
                               std::vector<DroppedRequest>& dropped) {
  QueuedRequest& e = level.main[i];
  const bool cancelled = IsCancelled(e);
  const bool expired = e.deadline != Clock::TimePoint::max() && now >= e.deadline;
  if (!cancelled && !expired) return false;
  if (cancelled) {
    dropped.push_back(DroppedRequest{std::move(e), CancelledStatus()});
    --size_;
  } else if (level.policy.delay_on_timeout) {
    e.deadline = Clock::TimePoint::max();
    level.delayed.push_back(std::move(e));
  } else {
    dropped.push_back(DroppedRequest{std::move(e), TimeoutStatus()});
    --size_;
  }
  level.main.erase(level.main.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

void RequestQueue::Visit(Clock::TimePoint now, std::vector<DroppedRequest>& dropped,
                         const std::function<bool(const QueuedRequest&)>& fn) {
  for (Level& level : levels_) {
    for (size_t i = 0; i < level.main.size();) {
      if (ApplyPolicy(level, i, now, dropped)) continue;
      if (!fn(level.main[i])) return;
      ++i;
    }
    for (size_t i = 0; i < level.delayed.size();) {
      if (IsCancelled(level.delayed[i])) {
        dropped.push_back(DroppedRequest{std::move(level.delayed[i]), CancelledStatus()});
        level.delayed.erase(level.delayed.begin() + static_cast<std::ptrdiff_t>(i));
        --size_;
        continue;
      }
      if (!fn(level.delayed[i])) return;
      ++i;
    }
  }
}

void RequestQueue::PopFront(size_t n, std::vector<QueuedRequest>& out) {
  for (Level& level : levels_) {
    for (auto* q : {&level.main, &level.delayed}) {
      while (n > 0 && !q->empty()) {
        out.push_back(std::move(q->front()));
        q->pop_front();
        --size_;
        --n;
      }
    }
  }
}

void RequestQueue::ExpireRejects(Clock::TimePoint now, std::vector<DroppedRequest>& dropped) {
  if (now < next_reject_) return;
  next_reject_ = Clock::TimePoint::max();
  for (Level& level : levels_) {
    if (level.policy.delay_on_timeout) continue;
    auto& q = level.main;
    auto keep = std::stable_partition(q.begin(), q.end(),
                                      [&](const QueuedRequest& e) { return now < e.deadline; });
    for (auto it = keep; it != q.end(); ++it) {
      dropped.push_back(DroppedRequest{std::move(*it), TimeoutStatus()});
    }
    size_ -= static_cast<size_t>(q.end() - keep);
    q.erase(keep, q.end());
    for (const auto& e : q) next_reject_ = std::min(next_reject_, e.deadline);
  }
}

}  // namespace inferd::scheduler
