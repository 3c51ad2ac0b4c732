// A monotonic clock that tests can drive. The scheduler takes time (queue delays, timeouts) only
// through this interface, so batching and timeout tests run without sleeping.
//
// Thread-safe. SteadyClock is a stateless singleton. FakeClock (common/testing/fake_clock.h) only
// moves when Advance() is called. WaitUntil blocks until the clock reaches the deadline or the
// predicate holds after a notify of `cv`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace inferd {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Waits on `cv` (with `lock` held) until `pred()` or Now() >= deadline. Returns pred().
  template <typename Pred>
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline, Pred pred) {
    while (!pred()) {
      if (Now() >= deadline) return pred();
      WaitFor(cv, lock, deadline);
    }
    return true;
  }

 protected:
  // One wait step: returns on notify, spuriously, or at `deadline`.
  virtual void WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                       TimePoint deadline) = 0;
};

class SteadyClock final : public Clock {
 public:
  static SteadyClock& Get() {
    static SteadyClock clock;
    return clock;
  }
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }

 protected:
  void WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
               TimePoint deadline) override {
    cv.wait_until(lock, deadline);
  }
};

}  // namespace inferd
