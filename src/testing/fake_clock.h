// A Clock for tests: time moves only when Advance() is called, so batcher delays and queue
// timeouts are tested without sleeping. Advance() wakes every thread blocked in WaitUntil on
// this clock; tests can await "some thread is waiting for fake time T" with AwaitWaiter.
//
// Thread-safe. Waiters also re-check every millisecond of real time, which bounds the cost of a
// signal that races with a waiter registering (the waiter's predicate is re-evaluated anyway).
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace inferd::testing {

class FakeClock final : public Clock {
 public:
  FakeClock() = default;
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  TimePoint Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }

  void Advance(Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
    for (const Waiter& w : waiters_) w.cv->SignalAll();
  }

  // Blocks until some thread waits on this clock for a deadline at or before `deadline` (e.g.
  // the batcher waiting out its queue delay), so a test knows the waiter decided to wait.
  void AwaitWaiter(TimePoint deadline) {
    absl::MutexLock lock(&mu_);
    auto registered = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return std::any_of(waiters_.begin(), waiters_.end(),
                         [&](const Waiter& w) { return w.deadline <= deadline; });
    };
    mu_.Await(absl::Condition(&registered));
  }
  // Any waiter with a deadline (a thread merely idle does not use the clock).
  void AwaitAnyWaiter() { AwaitWaiter(TimePoint::max()); }

 protected:
  void WaitFor(absl::CondVar& cv, absl::Mutex& mu, TimePoint deadline) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    {
      absl::MutexLock guard(&mu_);
      if (now_ >= deadline) return;
      waiters_.push_back(Waiter{&cv, deadline});
    }
    cv.WaitWithTimeout(&mu, absl::Milliseconds(1));
    absl::MutexLock guard(&mu_);
    auto it = std::find_if(waiters_.begin(), waiters_.end(),
                           [&](const Waiter& w) { return w.cv == &cv && w.deadline == deadline; });
    if (it != waiters_.end()) waiters_.erase(it);
  }

 private:
  struct Waiter {
    absl::CondVar* cv;
    TimePoint deadline;
  };
  mutable absl::Mutex mu_;
  TimePoint now_ ABSL_GUARDED_BY(mu_){};
  std::vector<Waiter> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::testing
