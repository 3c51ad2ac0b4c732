// A monotonic clock that tests can drive. The scheduler takes time (queue delays, timeouts) only
// through this interface, so batching and timeout tests run without sleeping.
//
// Thread-safe. SteadyClock is a stateless singleton. FakeClock (testing/fake_clock.h) only
// moves when Advance() is called. WaitUntil blocks until the clock reaches the deadline or the
// predicate holds after a signal of `cv`.
#pragma once

#include <chrono>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace inferd {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Waits on `cv` (with `mu` held) until `pred()` or Now() >= deadline. Returns pred().
  // Callers are checked for holding `mu`; the analysis cannot tell that `pred` needs that same
  // mutex (it knows it by the caller's member name), hence no analysis inside.
  template <typename Pred>
  bool WaitUntil(absl::CondVar& cv, absl::Mutex& mu, TimePoint deadline, Pred pred)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    while (!pred()) {
      if (Now() >= deadline) return pred();
      WaitFor(cv, mu, deadline);
    }
    return true;
  }

 protected:
  // One wait step: returns on a signal, spuriously, or at `deadline`.
  virtual void WaitFor(absl::CondVar& cv, absl::Mutex& mu, TimePoint deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) = 0;
};

class SteadyClock final : public Clock {
 public:
  static SteadyClock& Get() {
    static SteadyClock clock;
    return clock;
  }
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }

 protected:
  void WaitFor(absl::CondVar& cv, absl::Mutex& mu, TimePoint deadline) override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    cv.WaitWithTimeout(&mu, absl::FromChrono(deadline - Now()));
  }
};

}  // namespace inferd
