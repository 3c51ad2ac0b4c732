#include "tools/perf_report.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace inferd::tools {
namespace {

std::string LoadLabel(double load, bool rate_mode) {
  return rate_mode ? absl::StrFormat("Request rate: %g/s", load)
                   : absl::StrFormat("Concurrency: %g", load);
}

// A "nice" axis maximum above `value` (1, 2 or 5 times a power of ten).
double NiceCeil(double value) {
  if (value <= 0) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
  for (double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

}  // namespace

void PrintStep(const StepResult& s, bool rate_mode, std::ostream& out) {
  out << (rate_mode ? absl::StrFormat("Request rate: %g\n", s.load)
                    : absl::StrFormat("Request concurrency: %g\n", s.load));
  out << "  Client:\n"
      << absl::StrFormat("    Request count: %d (errors: %d)\n", s.requests, s.errors)
      << absl::StrFormat("    Throughput: %.2f infer/sec\n", s.throughput)
      << absl::StrFormat("    Avg latency: %.0f usec (standard deviation %.0f usec)\n", s.avg_us,
                         s.stddev_us)
      << absl::StrFormat("    p50 latency: %.0f usec\n    p90 latency: %.0f usec\n", s.p50_us,
                         s.p90_us)
      << absl::StrFormat("    p95 latency: %.0f usec\n    p99 latency: %.0f usec\n", s.p95_us,
                         s.p99_us)
      << absl::StrFormat("    Generator CPU: %.1f usec/request\n", s.cpu_us_per_request);
  const double overhead = std::max(0.0, s.server_request_us - s.queue_us - s.compute_input_us -
                                            s.compute_infer_us - s.compute_output_us);
  out << "  Server:\n"
      << absl::StrFormat("    Inference count: %d\n    Execution count: %d\n", s.server_inferences,
                         s.server_executions)
      << absl::StrFormat("    Successful request count: %d\n", s.server_successes)
      << absl::StrFormat(
             "    Avg request latency: %.0f usec (overhead %.0f usec + queue %.0f usec + compute "
             "input %.0f usec + compute infer %.0f usec + compute output %.0f usec)\n",
             s.server_request_us, overhead, s.queue_us, s.compute_input_us, s.compute_infer_us,
             s.compute_output_us);
  if (!s.stable) {
    out << absl::StrFormat("  WARNING: not stable after %d measurement windows\n", s.trials);
  }
}

void PrintSummary(const std::vector<StepResult>& steps, bool rate_mode, std::ostream& out) {
  out << "Inferences/Second vs. Client Average Batch Latency\n";
  for (const auto& s : steps) {
    out << absl::StrFormat("%s, throughput: %.2f infer/sec, latency %.0f usec\n",
                           LoadLabel(s.load, rate_mode), s.throughput, s.avg_us);
  }
}

// perf_analyzer's columns in its order (with server statistics, no response cache), then
// inferd's own. Client Send and Client Recv are 0: the generator times whole requests, so the
// network time is in Network+Server Send/Recv, as perf_analyzer computes it (latency minus the
// server's queue and compute times).
std::string Csv(const std::vector<StepResult>& steps, bool rate_mode) {
  std::string csv =
      absl::StrCat(rate_mode ? "Request Rate" : "Concurrency",
                   ",Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,"
                   "Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,"
                   "p50 latency,p90 latency,p95 latency,p99 latency,"
                   "Avg latency,Server Request,Requests,Errors,Generator CPU per request,Stable\n");
  for (const auto& s : steps) {
    const double server_total =
        s.queue_us + s.compute_input_us + s.compute_infer_us + s.compute_output_us;
    absl::StrAppend(
        &csv,
        absl::StrFormat("%g,%.2f,0,%.0f,%.0f,%.0f,%.0f,%.0f,0,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%d,%d,"
                        "%.1f,%d\n",
                        s.load, s.throughput, std::max(0.0, s.avg_us - server_total), s.queue_us,
                        s.compute_input_us, s.compute_infer_us, s.compute_output_us, s.p50_us,
                        s.p90_us, s.p95_us, s.p99_us, s.avg_us, s.server_request_us, s.requests,
                        s.errors, s.cpu_us_per_request, s.stable ? 1 : 0));
  }
  return csv;
}

std::string Svg(const std::vector<StepResult>& steps, bool rate_mode, const std::string& title) {
  constexpr double kW = 640, kH = 400, kLeft = 70, kRight = 20, kTop = 40, kBottom = 50;
  double max_x = 0, max_y = 0;
  for (const auto& s : steps) {
    max_x = std::max(max_x, s.throughput);
    max_y = std::max(max_y, s.p95_us / 1000.0);
  }
  max_x = NiceCeil(max_x);
  max_y = NiceCeil(max_y);
  auto px = [&](double x) { return kLeft + x / max_x * (kW - kLeft - kRight); };
  auto py = [&](double y) { return kH - kBottom - y / max_y * (kH - kTop - kBottom); };
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
      "fill=\"white\"/>\n<text x=\"%g\" y=\"22\" text-anchor=\"middle\" "
      "font-size=\"14\">%s</text>\n",
      kW, kH, kW / 2, title);
  for (int i = 0; i <= 5; ++i) {  // grid and tick labels
    const double x = max_x * i / 5, y = max_y * i / 5;
    absl::StrAppend(
        &svg,
        absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                        px(x), py(0), px(x), py(max_y), px(x), py(0) + 16, x),
        absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                        px(0), py(y), px(max_x), py(y), px(0) - 6, py(y) + 4, y));
  }
  absl::StrAppend(&svg,
                  absl::StrFormat("<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">throughput "
                                  "(infer/s)</text>\n<text x=\"16\" y=\"%g\" "
                                  "transform=\"rotate(-90 16 %g)\" text-anchor=\"middle\">latency "
                                  "(ms)</text>\n",
                                  (kLeft + kW - kRight) / 2, kH - 12, kH / 2, kH / 2));
  const struct {
    const char* name;
    const char* color;
    double StepResult::*field;
  } series[] = {{"p50", "#1f77b4", &StepResult::p50_us}, {"p95", "#d62728", &StepResult::p95_us}};
  int row = 0;
  for (const auto& line : series) {
    std::string points;
    for (const auto& s : steps) {
      absl::StrAppend(&points,
                      absl::StrFormat("%.1f,%.1f ", px(s.throughput), py(s.*line.field / 1000.0)));
      absl::StrAppend(&svg, absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                                            "<title>%s: %.0f infer/s, %.2f ms</title></circle>\n",
                                            px(s.throughput), py(s.*line.field / 1000.0),
                                            line.color, LoadLabel(s.load, rate_mode), s.throughput,
                                            s.*line.field / 1000.0));
    }
    absl::StrAppend(
        &svg,
        absl::StrFormat("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n"
                        "<text x=\"%g\" y=\"%d\" fill=\"%s\">%s</text>\n",
                        line.color, points, kLeft + 10, static_cast<int>(kTop) + 14 + 16 * row,
                        line.color, line.name));
    ++row;
  }
  return svg + "</svg>\n";
}

Status WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  if (!file) return absl::InvalidArgumentError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace inferd::tools
