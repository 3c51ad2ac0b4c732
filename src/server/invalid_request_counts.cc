#include "server/invalid_request_counts.h"

namespace inferd::server {

void InvalidRequestCounts::Record(const std::string& model, int64_t version,
                                  core::FailureReason reason, std::chrono::nanoseconds duration) {
  absl::MutexLock lock(&mu_);
  Counts& c = counts_[{model, std::to_string(version)}];
  ++c.by_reason[static_cast<size_t>(reason)];
  c.ns += duration.count() > 0 ? static_cast<uint64_t>(duration.count()) : 0;
}

void InvalidRequestCounts::MergeInto(std::vector<core::ModelStatistics>& stats) const {
  absl::MutexLock lock(&mu_);
  for (auto& s : stats) {
    auto it = counts_.find({s.name, s.version});
    if (it == counts_.end()) continue;
    for (size_t r = 0; r < core::kFailureReasonCount; ++r) {
      s.failures[r] += it->second.by_reason[r];
      s.inference_stats.fail.count += it->second.by_reason[r];
    }
    s.inference_stats.fail.ns += it->second.ns;
  }
}

}  // namespace inferd::server
