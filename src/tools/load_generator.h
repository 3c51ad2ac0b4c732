// The load of `inferd perf`: keeps N requests in flight (closed loop, as perf_analyzer's
// concurrency mode) or issues them at a fixed or Poisson rate (open loop), and records each
// request's latency. Requests are asynchronous client calls, so the generator itself needs no
// thread per request: concurrency mode issues the next request from the previous one's
// completion (on the client's IO thread), rate mode from one pacing thread. The requests are
// prepared once (client::PreparedInfer): a send re-encodes nothing, copies no tensor bytes and
// decodes no outputs, so the generator's own CPU per request is the transport's.
//
// Thread-safe. Start one mode at a time; Stop() before starting again or destroying.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/inference_client.h"

namespace inferd::tools {

struct LatencyRecord {
  int64_t latency_ns = 0;
  bool ok = false;
};

class LoadGenerator {
 public:
  // `requests` (prepared by `client`, which must outlive the generator) are sent round-robin.
  LoadGenerator(client::InferenceClient& client,
                std::vector<std::shared_ptr<const client::PreparedInfer>> requests);
  ~LoadGenerator();

  void StartConcurrency(int concurrency);
  void StartRate(double per_second, bool poisson, uint64_t seed);
  // Stops issuing and waits until every request in flight has completed.
  void Stop();
  // The records completed since the last call.
  std::vector<LatencyRecord> TakeRecords();

  int64_t sent() const { return sent_; }
  int64_t failed() const { return failed_; }
  // The first error seen (for the report), empty if none.
  std::string first_error();

 private:
  void Issue();
  void Completed(std::chrono::steady_clock::time_point start, const Status& status);
  void Pace(double per_second, bool poisson, uint64_t seed);

  client::InferenceClient& client_;
  const std::vector<std::shared_ptr<const client::PreparedInfer>> requests_;
  std::atomic<bool> closed_loop_{false};  // concurrency mode: a completion issues the next
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> next_sample_{0};
  std::atomic<int64_t> sent_{0};
  std::atomic<int64_t> failed_{0};
  absl::Mutex mutex_;
  int64_t in_flight_ ABSL_GUARDED_BY(mutex_) = 0;
  std::vector<LatencyRecord> records_ ABSL_GUARDED_BY(mutex_);
  std::string first_error_ ABSL_GUARDED_BY(mutex_);
  std::thread pacer_;  // rate mode only
  // Stop() clears running_ under it, so the pacer's wait (an Await on !running_) wakes at once.
  absl::Mutex pacer_mutex_;
};

}  // namespace inferd::tools
