#include "metrics/status_counters.h"

#include <algorithm>
#include <utility>

namespace inferd::metrics {

StatusCounters::StatusCounters(std::vector<std::string> endpoints, int max_code)
    : endpoints_(std::move(endpoints)),
      max_code_(std::max(max_code, 0)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(endpoints_.size() *
                                                        static_cast<size_t>(max_code_ + 1))) {}

size_t StatusCounters::IndexOf(std::string_view endpoint) const {
  for (size_t i = 0; i < endpoints_.size(); ++i) {
    if (endpoints_[i] == endpoint) return i;
  }
  return endpoints_.empty() ? 0 : endpoints_.size() - 1;
}

size_t StatusCounters::Cell(size_t endpoint, int code) const {
  const size_t e = std::min(endpoint, endpoints_.size() - 1);
  const int c = code < 0 || code > max_code_ ? max_code_ : code;
  return e * static_cast<size_t>(max_code_ + 1) + static_cast<size_t>(c);
}

void StatusCounters::Increment(size_t endpoint, int code) {
  if (endpoints_.empty()) return;
  counts_[Cell(endpoint, code)].fetch_add(1, std::memory_order_relaxed);
}

uint64_t StatusCounters::Value(size_t endpoint, int code) const {
  if (endpoints_.empty()) return 0;
  return counts_[Cell(endpoint, code)].load(std::memory_order_relaxed);
}

void StatusCounters::Collect(MetricFamily& family, const std::string& endpoint_label,
                             const std::function<std::string(int)>& code_name) const {
  for (size_t e = 0; e < endpoints_.size(); ++e) {
    for (int c = 0; c <= max_code_; ++c) {
      const uint64_t n = Value(e, c);
      if (n == 0) continue;
      AddSample(family, {{endpoint_label, endpoints_[e]}, {"code", code_name(c)}},
                static_cast<double>(n));
    }
  }
}

}  // namespace inferd::metrics
