// The console's figures (GET /console/stats and the server-rendered page): per ready model
// version, the cumulative counters and latency histogram of its statistics recorder, as read by
// the statistics extension and /metrics (ADR 0006). Nothing here adds work to the request path;
// rates and windowed percentiles are differences between two reads, taken by the page.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model_statistics.h"

namespace inferd::frontend::http {

// The q-quantile (0 < q < 1) of a histogram, interpolated linearly inside the bucket that holds
// it (as Prometheus' histogram_quantile); the largest bound when it falls above every bound.
// nullopt when the histogram holds no observation.
std::optional<double> HistogramQuantile(const core::HistogramSnapshot& histogram, double q);

// {"time_ms": <server clock, ms since the epoch>, "models": [{"name", "version",
//  "inference_count", "success", "fail", "failures": {"REJECTED": n, ...}, "pending",
//  "success_ns", "queue": {"count", "ns"}, "latency_us": {"bounds": [...], "counts": [...]},
//  "p50_us", "p95_us"}]} (p50/p95 over every request since load; null without observations).
std::string ConsoleStatsJson(const std::vector<core::ModelStatistics>& stats, uint64_t time_ms);

}  // namespace inferd::frontend::http
