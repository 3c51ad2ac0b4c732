// The load of `inferd perf`: keeps N requests in flight (closed loop, as perf_analyzer's
// concurrency mode) or issues them at a fixed or Poisson rate (open loop), and records each
// request's latency. Requests are asynchronous client calls, so the generator itself needs no
// thread per request: concurrency mode issues the next request from the previous one's
// completion (on the client's IO thread), rate mode from one pacing thread.
//
// Thread-safe. Start one mode at a time; Stop() before starting again or destroying.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "client/inference_client.h"
#include "tools/input_data.h"

namespace inferd::tools {

struct LatencyRecord {
  int64_t latency_ns = 0;
  bool ok = false;
};

class LoadGenerator {
 public:
  // `client` and `samples` must outlive the generator; samples are sent round-robin.
  LoadGenerator(client::InferenceClient& client, client::InferOptions options,
                const std::vector<Sample>& samples);
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
  const client::InferOptions options_;
  const std::vector<Sample>& samples_;
  std::atomic<bool> closed_loop_{false};  // concurrency mode: a completion issues the next
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> next_sample_{0};
  std::atomic<int64_t> sent_{0};
  std::atomic<int64_t> failed_{0};
  std::mutex mutex_;
  std::condition_variable drained_;
  int64_t in_flight_ = 0;               // guarded by mutex_
  std::vector<LatencyRecord> records_;  // guarded by mutex_
  std::string first_error_;             // guarded by mutex_
  std::thread pacer_;                   // rate mode only
  std::mutex pacer_mutex_;
  std::condition_variable pacer_wake_;  // Stop() interrupts the pacer's wait
};

}  // namespace inferd::tools
