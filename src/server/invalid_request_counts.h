// Requests that resolved to a model version but failed before reaching its scheduler (they
// fail validation against the model's config), kept per (model, version) so the statistics and
// nv_inference_request_failure count them (reason OTHER). Requests for unknown models, and those
// refused by --max-inflight before their model is resolved, have no model to count against.
//
// Thread-safe. Record takes a mutex, but only failing requests ever call it; successful
// requests never touch this.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/model_statistics.h"

namespace inferd::server {

class InvalidRequestCounts {
 public:
  void Record(const std::string& model, int64_t version, core::FailureReason reason,
              std::chrono::nanoseconds duration);
  // Adds this table's failures into the matching entries of `stats`.
  void MergeInto(std::vector<core::ModelStatistics>& stats) const;

 private:
  struct Counts {
    std::array<uint64_t, core::kFailureReasonCount> by_reason{};
    uint64_t ns = 0;
  };
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, Counts> counts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::server
