// Host and process figures read from /proc at scrape time: the process's resident set size,
// system memory (Triton's nv_cpu_memory_*), and system CPU utilization over the interval since
// the previous sample (Triton's nv_cpu_utilization, 0..1). Linux only; a missing /proc file
// yields NotFound and the caller leaves the metric out.
//
// The parse functions are pure; CpuUtilization is thread-safe (a mutex, taken by scrapes only).
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"

namespace inferd::metrics {

struct MemInfo {
  uint64_t total_bytes = 0;
  uint64_t used_bytes = 0;  // total - MemAvailable
};
StatusOr<MemInfo> ParseMemInfo(std::string_view meminfo);
StatusOr<MemInfo> ReadMemInfo();

// Resident set size of this process in bytes (/proc/self/statm).
StatusOr<uint64_t> ReadResidentBytes();

struct CpuTimes {
  uint64_t busy = 0;
  uint64_t total = 0;
};
// The aggregate "cpu" line of /proc/stat; idle includes iowait.
StatusOr<CpuTimes> ParseCpuTimes(std::string_view stat);

class CpuUtilization {
 public:
  // Busy fraction of all cores since the previous call (since boot on the first).
  StatusOr<double> Sample();

 private:
  absl::Mutex mu_;
  CpuTimes last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::metrics
