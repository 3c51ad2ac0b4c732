#include "metrics/histogram.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::metrics {

uint64_t HistogramValue::Count() const {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  return total;
}

MetricFamily Family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

void AddSample(MetricFamily& family, Labels labels, double value) {
  family.samples.push_back(Sample{std::move(labels), value, {}});
}

void AddHistogram(MetricFamily& family, Labels labels, HistogramValue value) {
  family.samples.push_back(Sample{std::move(labels), 0, std::move(value)});
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  // Bucket i holds (bounds[i-1], bounds[i]]: "le" is inclusive.
  const size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                       bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

HistogramValue Histogram::Snapshot() const {
  HistogramValue out;
  out.bounds = bounds_;
  out.counts.reserve(bounds_.size() + 1);
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    out.counts.push_back(counts_[i].load(std::memory_order_relaxed));
  }
  out.sum = sum_.load(std::memory_order_relaxed);
  return out;
}

Status ValidateBounds(const std::vector<double>& bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      return absl::InvalidArgumentError("histogram bucket bounds must be finite numbers");
    }
    if (i > 0 && bounds[i] <= bounds[i - 1]) {
      return absl::InvalidArgumentError(
          absl::StrCat("histogram bucket bounds must be strictly ascending (", bounds[i - 1],
                       " then ", bounds[i], ")"));
    }
  }
  return absl::OkStatus();
}

StatusOr<std::vector<double>> ParseBounds(std::string_view text) {
  std::vector<double> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string item(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || errno != 0 || end != item.c_str() + item.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", item, "' is not a number in the bucket list"));
    }
    out.push_back(v);
  }
  RETURN_IF_ERROR(ValidateBounds(out));
  return out;
}

}  // namespace inferd::metrics
