// Request tracing, the subset of Triton's trace extension inferd supports: trace_level
// TIMESTAMPS (or OFF), trace_rate (1 of every N requests is sampled), trace_count (how many
// more traces to write; -1 = no limit) and trace_file. A sampled request becomes one JSON line
// in the trace file:
//   {"id":"...","model_name":"...","model_version":1,"timestamps":[
//     {"name":"received","ns":...},{"name":"queued","ns":...},{"name":"compute_start","ns":...},
//     {"name":"compute_end","ns":...},{"name":"response_sent","ns":...}]}
// with ns since the Unix epoch (missing stages, e.g. a request rejected before it was queued,
// are left out).
//
// The trace file is fixed when the server starts (Start): a client of /v2/trace/setting can change
// the level, rate and count, never the file, so no client can make the server create or append
// to a file of its choosing. Lines are written by a writer thread from a bounded queue, never on
// the calling (IO or scheduler) thread; when the queue is full, lines are dropped and counted.
// The file is opened non-blocking and must be a regular file, so neither a FIFO nor a slow disk
// ever holds a request. Ids and model names longer than kMaxTraceFieldBytes are cut.
//
// Thread-safe. Sample() is lock-free (what every request pays); Write() and settings changes
// take a mutex (sampled requests and /v2/trace/setting only).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"

namespace inferd::metrics {

struct TraceSettings {
  std::string trace_file;
  std::string trace_level = "OFF";  // OFF | TIMESTAMPS
  uint64_t trace_rate = 1000;       // sample 1 of every trace_rate requests (>= 1)
  int64_t trace_count = -1;         // traces left to write; -1 = unlimited
};

struct TraceEvent {
  const char* name;
  std::chrono::steady_clock::time_point at;
};

inline constexpr size_t kMaxTraceFieldBytes = 256;
inline constexpr size_t kMaxQueuedTraceBytes = size_t{8} << 20;

class Tracer {
 public:
  Tracer() = default;
  ~Tracer();  // writes what is queued, then stops the writer
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // At start-up, once: opens (appends to) `settings.trace_file` when given, starts the writer
  // and applies the rest as Update does. On error nothing changes.
  Status Start(const TraceSettings& settings);
  // At run time: validates and applies level, rate and count. InvalidArgument (nothing changed)
  // for a trace_file other than the one given at start-up. TIMESTAMPS needs a trace file.
  Status Update(const TraceSettings& settings);
  TraceSettings Settings() const;
  // Waits until every line queued so far is written (or dropped). For tests and shutdown.
  void Flush();
  // Lines dropped because the queue was full or the file refused a write.
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

  // Whether the request arriving now is traced.
  bool Sample();
  // Queues one trace line; events with a zero time point are skipped. Never blocks on the file.
  void Write(std::string_view id, std::string_view model, int64_t version,
             const std::vector<TraceEvent>& events);

 private:
  Status Validate(const TraceSettings& settings) const;
  void Apply(const TraceSettings& settings) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void WriterLoop();

  mutable absl::Mutex mu_;
  TraceSettings settings_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  int fd_ = -1;  // set before the writer starts, closed after it stops
  absl::Mutex queue_mu_;
  std::deque<std::string> queue_ ABSL_GUARDED_BY(queue_mu_);
  size_t queued_bytes_ ABSL_GUARDED_BY(queue_mu_) = 0;
  size_t pending_ ABSL_GUARDED_BY(queue_mu_) = 0;  // queued or being written
  bool stop_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::atomic<uint64_t> dropped_{0};
  std::thread writer_;
  std::atomic<bool> enabled_{false};
  std::atomic<uint64_t> rate_{1000};
  std::atomic<uint64_t> seen_{0};
  std::atomic<int64_t> remaining_{-1};
  // steady_clock -> system_clock offset, fixed at construction.
  const std::chrono::nanoseconds epoch_offset_ =
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch() -
          std::chrono::steady_clock::now().time_since_epoch());
};

}  // namespace inferd::metrics
