// A Clock for tests: time moves only when Advance() is called, so batcher delays and queue
// timeouts are tested without sleeping. Advance() wakes every thread blocked in WaitUntil on
// this clock; tests can await "some thread is waiting for fake time T" with AwaitWaiter.
//
// Thread-safe. Waiters also re-check every millisecond of real time, which bounds the cost of a
// notify that races with a waiter registering (the waiter's predicate is re-evaluated anyway).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/clock.h"

namespace inferd::testing {

class FakeClock final : public Clock {
 public:
  FakeClock() = default;
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  TimePoint Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }

  void Advance(Duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
    for (const Waiter& w : waiters_) w.cv->notify_all();
  }

  // Blocks until some thread waits on this clock for a deadline at or before `deadline` (e.g.
  // the batcher waiting out its queue delay), so a test knows the waiter decided to wait.
  void AwaitWaiter(TimePoint deadline) {
    std::unique_lock lock(mu_);
    registered_cv_.wait(lock, [&] {
      return std::any_of(waiters_.begin(), waiters_.end(),
                         [&](const Waiter& w) { return w.deadline <= deadline; });
    });
  }
  // Any waiter with a deadline (a thread merely idle does not use the clock).
  void AwaitAnyWaiter() { AwaitWaiter(TimePoint::max()); }

 protected:
  void WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
               TimePoint deadline) override {
    {
      std::lock_guard guard(mu_);
      if (now_ >= deadline) return;
      waiters_.push_back(Waiter{&cv, deadline});
      registered_cv_.notify_all();
    }
    cv.wait_for(lock, std::chrono::milliseconds(1));
    std::lock_guard guard(mu_);
    auto it = std::find_if(waiters_.begin(), waiters_.end(),
                           [&](const Waiter& w) { return w.cv == &cv && w.deadline == deadline; });
    if (it != waiters_.end()) waiters_.erase(it);
  }

 private:
  struct Waiter {
    std::condition_variable* cv;
    TimePoint deadline;
  };
  mutable std::mutex mu_;
  std::condition_variable registered_cv_;
  TimePoint now_{};
  std::vector<Waiter> waiters_;
};

}  // namespace inferd::testing
