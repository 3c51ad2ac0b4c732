// Backoff between retries of one call (see RetryPolicy in client_options.h for what is retried).
// One per call; not thread-safe.
#pragma once

#include <algorithm>
#include <chrono>

#include "client/client_options.h"

namespace inferd::client {

class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy) : policy_(policy), next_(policy.initial_backoff) {}

  // The wait before the next attempt: the server's Retry-After (seconds; < 0 = none) when given,
  // else the exponential backoff; both capped at max_backoff.
  std::chrono::milliseconds Next(int retry_after_seconds) {
    std::chrono::milliseconds wait = next_;
    if (retry_after_seconds >= 0) wait = std::chrono::seconds(retry_after_seconds);
    next_ = std::chrono::milliseconds(static_cast<int64_t>(next_.count() * policy_.multiplier));
    return std::min(wait, policy_.max_backoff);
  }

 private:
  RetryPolicy policy_;
  std::chrono::milliseconds next_;
};

}  // namespace inferd::client
