// Reports of `inferd perf`: perf_analyzer-style text per step and summary, a CSV file, and an SVG
// plot of latency (p50, p95) against throughput. Pure functions; thread-safe.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "tools/perf_stats.h"

namespace inferd::tools {

// `rate_mode`: the step's load is a request rate, not a concurrency.
void PrintStep(const StepResult& step, bool rate_mode, std::ostream& out);
void PrintSummary(const std::vector<StepResult>& steps, bool rate_mode, std::ostream& out);
std::string Csv(const std::vector<StepResult>& steps, bool rate_mode);
std::string Svg(const std::vector<StepResult>& steps, bool rate_mode, const std::string& title);
Status WriteFile(const std::string& path, const std::string& contents);

}  // namespace inferd::tools
