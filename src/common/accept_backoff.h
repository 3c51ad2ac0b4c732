// AcceptBackoff: what a listener does when accept() fails. Out of file descriptors
// (EMFILE/ENFILE) or memory, the listening socket stays readable, so retrying at once spins a
// core at 100 % until a connection closes. Instead the listener waits before its next accept
// (10 ms, doubling up to 100 ms, reset by a successful accept) and logs at most one line per
// 10 s, with the number of failures since the previous line. Every inferd listener (HTTP,
// metrics) uses it, so they behave and log alike.
//
// Not thread-safe: owned by one listener's accept chain (one accept outstanding at a time, so
// its handlers never run concurrently).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "boost/asio/steady_timer.hpp"
#include "boost/system/error_code.hpp"
#include "spdlog/spdlog.h"

namespace inferd {

struct AcceptBackoffOptions {
  std::chrono::milliseconds min_delay{10};
  std::chrono::milliseconds max_delay{100};
  std::chrono::steady_clock::duration log_interval = std::chrono::seconds(10);
};

class AcceptBackoff {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Decision {
    std::chrono::milliseconds delay;      // wait this long before accepting again
    std::optional<std::string> log_line;  // set when a line is due
  };

  // `listener` names the listener in the log line ("HTTP", "metrics").
  explicit AcceptBackoff(std::string listener, AcceptBackoffOptions options = {})
      : listener_(std::move(listener)), options_(options), delay_(options.min_delay) {}

  // After a failed accept whose error text is `error`, at time `now`.
  Decision OnFailure(std::string_view error, TimePoint now);
  // After a successful accept: the next failure waits the shortest delay again.
  void OnSuccess() { delay_ = options_.min_delay; }

 private:
  std::string listener_;
  AcceptBackoffOptions options_;
  std::chrono::milliseconds delay_;
  std::optional<TimePoint> last_log_;
  uint64_t unlogged_failures_ = 0;
};

// For an asio acceptor: logs what `backoff` says is due (as a warning) and calls `accept` after
// its delay on `timer`. `accept` is not called if the timer is cancelled (the server stopping).
template <typename Accept>
void AcceptAfterBackoff(AcceptBackoff& backoff, boost::asio::steady_timer& timer,
                        const boost::system::error_code& ec, Accept accept) {
  AcceptBackoff::Decision decision =
      backoff.OnFailure(ec.message(), std::chrono::steady_clock::now());
  if (decision.log_line) spdlog::warn("{}", *decision.log_line);
  timer.expires_after(decision.delay);
  timer.async_wait([accept = std::move(accept)](const boost::system::error_code& wait_ec) mutable {
    if (!wait_ec) accept();
  });
}

}  // namespace inferd
