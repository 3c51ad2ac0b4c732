// Per model-version statistics in the shape of Triton's statistics extension
// (GET /v2/models/{m}/versions/{v}/stats and gRPC ModelStatistics). Value types: a snapshot.
// Durations are cumulative nanoseconds with the number of samples.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace inferd::core {

struct DurationStat {
  uint64_t count = 0;
  uint64_t ns = 0;
};

struct InferStatistics {
  DurationStat success;         // whole request, received to completed, successful ones
  DurationStat fail;            // whole request, failed ones (rejected, timed out, errors)
  DurationStat queue;           // waiting in the scheduler queue
  DurationStat compute_input;   // gathering inputs into the batch
  DurationStat compute_infer;   // the backend's execution
  DurationStat compute_output;  // scattering outputs back to requests
};

// Per formed batch size: how often a batch of that size ran and its compute durations.
struct BatchStatistics {
  uint64_t batch_size = 0;
  DurationStat compute_input;
  DurationStat compute_infer;
  DurationStat compute_output;
};

// Why a request failed, as Triton's nv_inference_request_failure `reason` label.
enum class FailureReason {
  kRejected = 0,  // queue full, queue timeout, model shutting down, server at its in-flight limit
  kCanceled,      // the client cancelled or went away
  kBackend,       // the backend's execution of its batch failed
  kOther,         // anything else, e.g. a request that fails validation against the model
};
inline constexpr size_t kFailureReasonCount = 4;
inline constexpr std::array<const char*, kFailureReasonCount> kFailureReasonNames = {
    "REJECTED", "CANCELED", "BACKEND", "OTHER"};

// A histogram's state: counts per bucket, NOT cumulative; counts[i] holds observations in
// (bounds[i-1], bounds[i]], and counts.back() (counts.size() == bounds.size() + 1) those above
// the largest bound.
struct HistogramSnapshot {
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
  double sum = 0;
};

struct ModelHistograms {
  HistogramSnapshot request_us;  // received to completed, successful requests
  HistogramSnapshot queue_us;    // time in the scheduler queue, successful requests
  HistogramSnapshot compute_us;  // input + infer + output of the request's batch, successful
  HistogramSnapshot batch_size;  // formed batch size (rows) per successful execution
};

struct ModelStatistics {
  std::string name;
  std::string version;
  uint64_t last_inference_ms = 0;  // ms since the Unix epoch of the last completed inference
  uint64_t inference_count = 0;    // inferences performed (sum of batch sizes of successes)
  uint64_t execution_count = 0;    // backend executions (batches)
  InferStatistics inference_stats;
  std::vector<BatchStatistics> batch_stats;  // ascending batch_size
  // inference_stats.fail split by reason (indexed by FailureReason).
  std::array<uint64_t, kFailureReasonCount> failures{};
  int64_t pending_request_count = 0;  // requests waiting in the scheduler queue now
  double load_duration_secs = 0;      // how long loading this version took (set by lifecycle)
  ModelHistograms histograms;
};

}  // namespace inferd::core
