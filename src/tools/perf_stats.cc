#include "tools/perf_stats.h"

#include <algorithm>
#include <cmath>

namespace inferd::tools {
namespace {

client::Duration Minus(const client::Duration& a, const client::Duration& b) {
  return {a.count - b.count, a.ns - b.ns};
}

double PerCountUs(const client::Duration& d) {
  return d.count == 0 ? 0 : static_cast<double>(d.ns) / static_cast<double>(d.count) / 1000.0;
}

std::vector<int64_t> SortedLatencies(const Window& w) {
  std::vector<int64_t> values;
  values.reserve(w.records.size());
  for (const auto& r : w.records) {
    if (r.ok) values.push_back(r.latency_ns);
  }
  std::sort(values.begin(), values.end());
  return values;
}

double LatencyMetric(const Window& w, int percentile) {
  auto sorted = SortedLatencies(w);
  if (percentile > 0) return Percentile(sorted, percentile);
  double sum = 0;
  for (int64_t v : sorted) sum += static_cast<double>(v);
  return sorted.empty() ? 0 : sum / static_cast<double>(sorted.size());
}

bool WithinTolerance(const std::vector<double>& values, double tolerance) {
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  if (mean <= 0) return false;
  for (double v : values) {
    if (std::abs(v - mean) > tolerance * mean) return false;
  }
  return true;
}

}  // namespace

double Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]);
}

client::ModelStatistics Subtract(const client::ModelStatistics& a,
                                 const client::ModelStatistics& b) {
  client::ModelStatistics d = a;
  d.inference_count = a.inference_count - b.inference_count;
  d.execution_count = a.execution_count - b.execution_count;
  d.success = Minus(a.success, b.success);
  d.fail = Minus(a.fail, b.fail);
  d.queue = Minus(a.queue, b.queue);
  d.compute_input = Minus(a.compute_input, b.compute_input);
  d.compute_infer = Minus(a.compute_infer, b.compute_infer);
  d.compute_output = Minus(a.compute_output, b.compute_output);
  return d;
}

client::ModelStatistics Add(const client::ModelStatistics& a, const client::ModelStatistics& b) {
  client::ModelStatistics zero;
  return Subtract(a, Subtract(zero, b));  // unsigned arithmetic: a - (0 - b) == a + b
}

StepResult Summarize(const std::deque<Window>& windows, int64_t batch) {
  StepResult out;
  Window all;
  client::ModelStatistics server;
  for (const auto& w : windows) {
    all.seconds += w.seconds;
    all.cpu_seconds += w.cpu_seconds;
    all.records.insert(all.records.end(), w.records.begin(), w.records.end());
    server.inference_count += w.server.inference_count;
    server.execution_count += w.server.execution_count;
    for (auto [sum, part] : {std::pair{&server.success, &w.server.success},
                             {&server.queue, &w.server.queue},
                             {&server.compute_input, &w.server.compute_input},
                             {&server.compute_infer, &w.server.compute_infer},
                             {&server.compute_output, &w.server.compute_output}}) {
      sum->count += part->count;
      sum->ns += part->ns;
    }
  }
  const auto sorted = SortedLatencies(all);
  out.requests = static_cast<int64_t>(all.records.size());
  out.errors = out.requests - static_cast<int64_t>(sorted.size());
  if (all.seconds > 0) {
    out.throughput = static_cast<double>(sorted.size() * batch) / all.seconds;
  }
  double sum = 0, sum_sq = 0;
  for (int64_t v : sorted) {
    sum += static_cast<double>(v);
    sum_sq += static_cast<double>(v) * static_cast<double>(v);
  }
  if (!sorted.empty()) {
    const double n = static_cast<double>(sorted.size());
    out.avg_us = sum / n / 1000.0;
    out.stddev_us = std::sqrt(std::max(0.0, sum_sq / n - (sum / n) * (sum / n))) / 1000.0;
  }
  out.p50_us = Percentile(sorted, 50) / 1000.0;
  out.p90_us = Percentile(sorted, 90) / 1000.0;
  out.p95_us = Percentile(sorted, 95) / 1000.0;
  out.p99_us = Percentile(sorted, 99) / 1000.0;
  out.server_request_us = PerCountUs(server.success);
  out.queue_us = PerCountUs(server.queue);
  out.compute_input_us = PerCountUs(server.compute_input);
  out.compute_infer_us = PerCountUs(server.compute_infer);
  out.compute_output_us = PerCountUs(server.compute_output);
  out.server_inferences = server.inference_count;
  out.server_executions = server.execution_count;
  out.server_successes = server.success.count;
  if (out.requests > 0) {
    out.cpu_us_per_request = all.cpu_seconds * 1e6 / static_cast<double>(out.requests);
  }
  return out;
}

bool IsStable(const std::deque<Window>& windows, int percentile, double tolerance) {
  if (windows.size() < 3) return false;
  std::vector<double> throughput, latency;
  for (size_t i = windows.size() - 3; i < windows.size(); ++i) {
    const Window& w = windows[i];
    if (w.seconds <= 0 || w.records.empty()) return false;
    throughput.push_back(static_cast<double>(w.records.size()) / w.seconds);
    latency.push_back(LatencyMetric(w, percentile));
  }
  return WithinTolerance(throughput, tolerance) && WithinTolerance(latency, tolerance);
}

}  // namespace inferd::tools
