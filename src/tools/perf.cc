#include "tools/perf.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <deque>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "client/inference_client.h"
#include "tools/input_data.h"
#include "tools/load_generator.h"
#include "tools/perf_report.h"
#include "tools/perf_stats.h"

namespace inferd::tools {
namespace {

using Clock = std::chrono::steady_clock;

struct Setup {
  std::unique_ptr<client::InferenceClient> client;
  std::vector<std::shared_ptr<const client::PreparedInfer>> requests;  // one per sample
};

StatusOr<std::vector<double>> ParseRange(const std::string& text) {
  std::vector<double> parts;
  for (absl::string_view part : absl::StrSplit(text, ':')) {
    double value = 0;
    if (!absl::SimpleAtod(part, &value) || value <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("bad range '", text, "' (START:END:STEP)"));
    }
    parts.push_back(value);
  }
  if (parts.empty() || parts.size() > 3) {
    return absl::InvalidArgumentError(absl::StrCat("bad range '", text, "' (START:END:STEP)"));
  }
  const double start = parts[0], end = parts.size() > 1 ? parts[1] : start;
  const double step = parts.size() > 2 ? parts[2] : 1;
  if (end < start) return absl::InvalidArgumentError(absl::StrCat("range '", text, "' is empty"));
  std::vector<double> values;
  for (double v = start; v <= end + 1e-9; v += step) values.push_back(v);
  return values;
}

StatusOr<Setup> Prepare(const PerfOptions& o) {
  ASSIGN_OR_RETURN(auto protocol, client::ParseProtocol(o.protocol));
  client::ClientOptions options;
  options.url = o.url;
  options.tls = o.tls;
  options.request_timeout = std::chrono::milliseconds(o.request_timeout_ms);
  options.binary_data = !o.json_data;
  Setup setup;
  ASSIGN_OR_RETURN(setup.client, client::CreateClient(protocol, options));
  ASSIGN_OR_RETURN(auto metadata, setup.client->GetModelMetadata(o.model, o.version));
  ASSIGN_OR_RETURN(auto config, setup.client->GetModelConfig(o.model, o.version));
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& flag : o.shapes) {
    ASSIGN_OR_RETURN(auto parsed, ParseShapeFlag(flag));
    shapes.insert(std::move(parsed));
  }
  ASSIGN_OR_RETURN(auto specs, ResolveInputs(metadata, config.max_batch_size, o.batch, shapes));
  std::vector<Sample> samples;
  if (o.input_data == "random") {
    samples = RandomSamples(specs, 16, o.seed);
  } else {
    ASSIGN_OR_RETURN(samples, LoadSamples(o.input_data, specs));
  }
  client::InferOptions infer(o.model);
  infer.model_version = o.version;
  infer.request_compression_algorithm = o.request_compression;
  for (const Sample& sample : samples) {
    ASSIGN_OR_RETURN(auto request, setup.client->PrepareInfer(infer, sample));
    setup.requests.push_back(std::move(request));
  }
  return setup;
}

// The model's statistics summed over the versions the server reports.
StatusOr<client::ModelStatistics> ServerStats(client::InferenceClient& c, const PerfOptions& o) {
  ASSIGN_OR_RETURN(auto all, c.GetModelStatistics(o.model, o.version));
  client::ModelStatistics sum;
  for (const auto& s : all) sum = Add(sum, s);
  return sum;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A live progress line on a terminal; nothing when stderr is not a TTY.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) != 0) {}
  void Show(const std::string& text) {
    if (tty_) std::fprintf(stderr, "\r\033[K%s", text.c_str());
  }
  void Clear() {
    if (tty_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  const bool tty_;
};

StatusOr<StepResult> MeasureStep(client::InferenceClient& c, const PerfOptions& o,
                                 LoadGenerator& generator, double load, bool rate_mode,
                                 Progress& progress) {
  if (rate_mode) {
    generator.StartRate(load, o.request_distribution == "poisson", o.seed);
  } else {
    generator.StartConcurrency(static_cast<int>(load));
  }
  std::deque<Window> windows;
  int trials = 0;
  bool stable = false;
  generator.TakeRecords();
  auto stats = ServerStats(c, o);
  double cpu = CpuSeconds();
  auto start = Clock::now();
  while (stats.ok() && trials < o.max_trials && !stable) {
    const auto end = start + std::chrono::milliseconds(o.measurement_interval_ms);
    while (Clock::now() < end) {
      std::this_thread::sleep_until(std::min(end, Clock::now() + std::chrono::milliseconds(250)));
      progress.Show(absl::StrFormat("[%s %g] window %d/%d: %d requests sent",
                                    rate_mode ? "rate" : "concurrency", load, trials + 1,
                                    o.max_trials, generator.sent()));
    }
    Window w;
    w.records = generator.TakeRecords();
    const auto now = Clock::now();
    w.seconds = std::chrono::duration<double>(now - start).count();
    const double cpu_now = CpuSeconds();
    w.cpu_seconds = cpu_now - cpu;
    auto stats_now = ServerStats(c, o);
    if (!stats_now.ok()) {
      stats = stats_now.status();
      break;
    }
    w.server = Subtract(*stats_now, *stats);
    stats = std::move(stats_now);
    cpu = cpu_now;
    start = now;
    const bool all_failed = !w.records.empty() && w.server.success.count == 0 &&
                            generator.failed() >= static_cast<int64_t>(w.records.size());
    windows.push_back(std::move(w));
    if (windows.size() > 3) windows.pop_front();
    ++trials;
    if (all_failed) break;
    stable = IsStable(windows, o.percentile, o.stability_percentage / 100.0);
  }
  generator.Stop();
  progress.Clear();
  RETURN_IF_ERROR(stats.status());
  StepResult result = Summarize(windows, o.batch);
  if (result.requests > 0 && result.errors == result.requests) {
    return absl::UnavailableError(
        absl::StrCat("every request failed; first error: ", generator.first_error()));
  }
  result.load = load;
  result.stable = stable;
  result.trials = trials;
  return result;
}

int Fail(const Status& status) {
  std::cerr << "inferd perf: " << status.message() << "\n";
  return absl::IsInvalidArgument(status) ? 2 : 1;
}

}  // namespace

int RunPerf(const PerfOptions& o) {
  const bool rate_mode = !o.request_rate_range.empty();
  if (rate_mode && !o.concurrency_range.empty()) {
    return Fail(
        absl::InvalidArgumentError("give --concurrency-range or --request-rate-range, not both"));
  }
  auto loads = ParseRange(rate_mode                     ? o.request_rate_range
                          : o.concurrency_range.empty() ? "1"
                                                        : o.concurrency_range);
  if (!loads.ok()) return Fail(loads.status());
  auto setup = Prepare(o);
  if (!setup.ok()) return Fail(setup.status());
  std::cout << "*** Measurement Settings ***\n"
            << "  Model: " << o.model << (o.version.empty() ? "" : " version " + o.version)
            << " over " << o.protocol << " at " << o.url << ", batch size " << o.batch << "\n"
            << "  Measurement window: " << o.measurement_interval_ms
            << " msec; stable when 3 windows agree within " << o.stability_percentage << "% on "
            << (o.percentile > 0 ? absl::StrCat("p", o.percentile, " latency")
                                 : std::string("average latency"))
            << " and throughput (at most " << o.max_trials << " windows)\n\n";
  LoadGenerator generator(*setup->client, setup->requests);
  Progress progress;
  std::vector<StepResult> steps;
  for (double load : *loads) {
    auto step = MeasureStep(*setup->client, o, generator, load, rate_mode, progress);
    if (!step.ok()) return Fail(step.status());
    PrintStep(*step, rate_mode, std::cout);
    std::cout << "\n";
    steps.push_back(*std::move(step));
  }
  PrintSummary(steps, rate_mode, std::cout);
  std::cout << "Requests sent: " << generator.sent() << " (failed: " << generator.failed() << ")\n";
  if (!o.csv_file.empty()) {
    if (Status s = WriteFile(o.csv_file, Csv(steps, rate_mode)); !s.ok()) return Fail(s);
  }
  if (!o.plot_file.empty()) {
    const std::string title = absl::StrCat(o.model, " (", o.protocol, ", batch ", o.batch, ")");
    if (Status s = WriteFile(o.plot_file, Svg(steps, rate_mode, title)); !s.ok()) return Fail(s);
  }
  return generator.failed() > 0 ? 1 : 0;
}

}  // namespace inferd::tools
