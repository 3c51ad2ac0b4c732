// A lock-free histogram with fixed bucket bounds, safe to Observe() from any number of threads
// on the request path: one relaxed atomic increment for the bucket and one atomic add for the
// sum. Snapshot() is not one atomic cut (an observation racing it may be in the buckets but not
// yet in the sum), which Prometheus tolerates: its count is always the sum of its buckets.
//
// Thread-safe. Bounds are fixed at construction.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "metrics/metric_family.h"

namespace inferd::metrics {

class Histogram {
 public:
  // `bounds` must be finite and strictly ascending (see ValidateBounds); an empty list is one
  // +Inf bucket.
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);
  HistogramValue Snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

Status ValidateBounds(const std::vector<double>& bounds);
// Parses "100,250,500" (spaces allowed) into validated bounds.
StatusOr<std::vector<double>> ParseBounds(std::string_view text);

// The bucket bounds of the per-model histograms (--metrics-*-buckets), passed from the server's
// options through the model manager to each model version's statistics recorder.
struct BucketConfig {
  std::vector<double> latency_us = {100,   250,    500,    1000,   2500,    5000,    10000,  25000,
                                    50000, 100000, 250000, 500000, 1000000, 2500000, 5000000};
  std::vector<double> batch_size = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  // Histograms feed only /metrics: with metrics off (--allow-metrics false) recorders skip them,
  // so turning metrics off removes their cost from the request path.
  bool record = true;
};

}  // namespace inferd::metrics
