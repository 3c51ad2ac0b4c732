// Measurement windows of `inferd perf` and their summary: latency percentiles, throughput, the
// stability rule (three consecutive windows within a tolerance) and the server-side split from
// the statistics endpoint. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "client/client_options.h"
#include "tools/load_generator.h"

namespace inferd::tools {

struct Window {
  double seconds = 0;
  std::vector<LatencyRecord> records;
  client::ModelStatistics server;  // the change of the model's statistics over the window
  double cpu_seconds = 0;          // this process's user + system CPU over the window
};

// One step of a sweep (a concurrency or a request rate), from its last (stable) windows.
struct StepResult {
  double load = 0;  // concurrency, or requests per second
  int64_t requests = 0;
  int64_t errors = 0;
  double throughput = 0;  // inferences per second (requests x batch)
  double avg_us = 0, stddev_us = 0, p50_us = 0, p90_us = 0, p95_us = 0, p99_us = 0;
  // Server side, per request (microseconds), from the statistics endpoint.
  double server_request_us = 0, queue_us = 0, compute_input_us = 0, compute_infer_us = 0,
         compute_output_us = 0;
  uint64_t server_inferences = 0, server_executions = 0, server_successes = 0;
  double cpu_us_per_request = 0;  // the generator's own CPU
  bool stable = false;
  int trials = 0;
};

// `a` - `b`, field by field (the statistics change over a window).
client::ModelStatistics Subtract(const client::ModelStatistics& a,
                                 const client::ModelStatistics& b);
// `a` + `b`, field by field (several versions' statistics together).
client::ModelStatistics Add(const client::ModelStatistics& a, const client::ModelStatistics& b);
// The windows' union summarised; `batch` converts requests to inferences.
StepResult Summarize(const std::deque<Window>& windows, int64_t batch);
// Whether the last three windows agree within `tolerance` (0.1 = 10%) on throughput and on the
// latency metric: the average, or percentile `percentile` when > 0.
bool IsStable(const std::deque<Window>& windows, int percentile, double tolerance);
// The `p`th percentile (nearest rank) of sorted values; 0 if empty.
double Percentile(const std::vector<int64_t>& sorted, double p);

}  // namespace inferd::tools
