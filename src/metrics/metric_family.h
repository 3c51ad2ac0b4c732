// The data model of one scrape: metric families with their samples, in the shape of the
// Prometheus text exposition format 0.0.4. Plain value types, built by collectors at scrape time
// and rendered by text_format.h; nothing here is on the request path.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace inferd::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

using Labels = std::vector<std::pair<std::string, std::string>>;

// A histogram's state. `counts` are per bucket, NOT cumulative: counts[i] holds observations
// in (bounds[i-1], bounds[i]]; the last entry (counts.size() == bounds.size() + 1) holds those
// above the largest bound. The writer makes them cumulative.
struct HistogramValue {
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
  double sum = 0;
  uint64_t Count() const;
};

struct Sample {
  Labels labels;
  double value = 0;          // counter or gauge
  HistogramValue histogram;  // histogram families only
};

struct MetricFamily {
  std::string name;
  std::string help;
  MetricType type = MetricType::kGauge;
  std::vector<Sample> samples;
};

// Shorthands for collectors.
MetricFamily Family(std::string name, std::string help, MetricType type);
void AddSample(MetricFamily& family, Labels labels, double value);
void AddHistogram(MetricFamily& family, Labels labels, HistogramValue value);

}  // namespace inferd::metrics
