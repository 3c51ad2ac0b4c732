// Request counts per (endpoint, status code), e.g. HTTP requests per API family and HTTP status,
// or gRPC calls per method and gRPC code. The table is fixed at construction (endpoints x codes
// 0..max_code), so counting is one relaxed atomic increment with no lock and no allocation.
// A code outside 0..max_code is counted as max_code.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/metric_family.h"

namespace inferd::metrics {

class StatusCounters {
 public:
  StatusCounters(std::vector<std::string> endpoints, int max_code);
  StatusCounters(const StatusCounters&) = delete;
  StatusCounters& operator=(const StatusCounters&) = delete;

  // Index of `endpoint` in the constructor's list; the last entry when unknown.
  size_t IndexOf(std::string_view endpoint) const;
  void Increment(size_t endpoint, int code);
  uint64_t Value(size_t endpoint, int code) const;

  // One sample per non-zero cell, labelled {endpoint_label=..., "code"=code_name(code)}.
  void Collect(MetricFamily& family, const std::string& endpoint_label,
               const std::function<std::string(int)>& code_name) const;

 private:
  size_t Cell(size_t endpoint, int code) const;

  const std::vector<std::string> endpoints_;
  const int max_code_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
};

}  // namespace inferd::metrics
