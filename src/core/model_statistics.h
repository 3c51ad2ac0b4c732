// Per model-version statistics in the shape of Triton's statistics extension
// (GET /v2/models/{m}/versions/{v}/stats and gRPC ModelStatistics). Value types: a snapshot.
// Durations are cumulative nanoseconds with the number of samples.
#pragma once

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

struct ModelStatistics {
  std::string name;
  std::string version;
  uint64_t last_inference_ms = 0;  // ms since the Unix epoch of the last completed inference
  uint64_t inference_count = 0;    // inferences performed (sum of batch sizes of successes)
  uint64_t execution_count = 0;    // backend executions (batches)
  InferStatistics inference_stats;
  std::vector<BatchStatistics> batch_stats;  // ascending batch_size
};

}  // namespace inferd::core
