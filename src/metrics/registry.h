// The metrics registry: an ordered list of collectors, each appending metric families at scrape
// time, rendered as one Prometheus text exposition. Hot-path state never lives here: collectors
// read atomics owned by the code that updates them (StatsRecorder, StatusCounters, Gauge), so a
// request never takes the registry's lock; only scrapes do.
//
// Thread-safe. Collectors are added during start-up; each must stay valid while the registry
// can render (capture what it reads by shared_ptr or outlive the metrics server).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "metrics/metric_family.h"

namespace inferd::metrics {

using Collector = std::function<void(std::vector<MetricFamily>&)>;

class Registry {
 public:
  void Add(Collector collector);
  std::vector<MetricFamily> Collect() const;
  std::string Render() const;  // WriteText(Collect())

 private:
  mutable absl::Mutex mu_;
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(mu_);
};

// A gauge updated with one relaxed atomic operation. Thread-safe.
class Gauge {
 public:
  void Add(int64_t delta) { value_.fetch_add(delta, std::memory_order_relaxed); }
  // The value after adding `delta` (for a bound checked against the same count).
  int64_t AddAndGet(int64_t delta) {
    return value_.fetch_add(delta, std::memory_order_relaxed) + delta;
  }
  void Set(int64_t value) { value_.store(value, std::memory_order_relaxed); }
  int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

}  // namespace inferd::metrics
