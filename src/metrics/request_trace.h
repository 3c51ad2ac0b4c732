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
// Thread-safe. Sample() is lock-free (what every request pays); Write() and settings changes
// take a mutex (sampled requests and /v2/trace/setting only).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

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

class Tracer {
 public:
  Tracer() = default;
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Validates and applies; opens (appends to) a new trace file when it changes. On error
  // nothing changes. TIMESTAMPS needs a trace file.
  Status Update(const TraceSettings& settings);
  TraceSettings Settings() const;

  // Whether the request arriving now is traced.
  bool Sample();
  // Writes one trace line; events with a zero time point are skipped.
  void Write(std::string_view id, std::string_view model, int64_t version,
             const std::vector<TraceEvent>& events);

 private:
  mutable std::mutex mu_;
  TraceSettings settings_;
  std::FILE* file_ = nullptr;
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
