#include "metrics/registry.h"

#include <utility>

#include "metrics/text_format.h"

namespace inferd::metrics {

void Registry::Add(Collector collector) {
  absl::MutexLock lock(&mu_);
  collectors_.push_back(std::move(collector));
}

std::vector<MetricFamily> Registry::Collect() const {
  std::vector<MetricFamily> families;
  absl::MutexLock lock(&mu_);
  for (const auto& collector : collectors_) collector(families);
  return families;
}

std::string Registry::Render() const { return WriteText(Collect()); }

}  // namespace inferd::metrics
