// Soak: closed-loop clients infer one model for --minutes while the model is reloaded every
// --reload-seconds through the repository API (a real reload: new sessions beside the old, switch,
// drain). Counts failed requests and reloads, samples the server's RSS and open descriptors every
// --sample-seconds, and fits a line to RSS over the second half of the run (the first half holds
// allocator and cache warm-up), so a leak per reload or per request shows as a slope.
//
//   soak_bench --port P --pid N --model convnet --input INPUT0:1,3,224,224:FP32
//              [--clients 4] [--minutes 30] [--reload-seconds 30] [--sample-seconds 10]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench_request.h"
#include "client/http_connection.h"
#include "reload_body.h"
#include "testing/proc_stats.h"

namespace {

using Clock = std::chrono::steady_clock;

struct RssSample {
  double minutes;
  double mib;
  int fds;
};

// Least-squares slope of RSS (MiB) over time (minutes), over samples from `from_minutes` on.
double SlopeMibPerMinute(const std::vector<RssSample>& samples, double from_minutes) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& s : samples) {
    if (s.minutes < from_minutes) continue;
    n += 1;
    sx += s.minutes;
    sy += s.mib;
    sxx += s.minutes * s.minutes;
    sxy += s.minutes * s.mib;
  }
  const double denominator = n * sxx - sx * sx;
  return n < 2 || denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("failed requests and RSS slope under load with periodic reloads");
  int port = 0, clients = 4;
  pid_t pid = 0;
  double minutes = 30, reload_seconds = 30, sample_seconds = 10;
  std::string model;
  std::vector<std::string> inputs;
  app.add_option("--port", port)->required();
  app.add_option("--pid", pid)->required();
  app.add_option("--model", model)->required();
  app.add_option("--input", inputs, "NAME:D1,D2,...:DATATYPE (repeatable)")->required();
  app.add_option("--clients", clients);
  app.add_option("--minutes", minutes);
  app.add_option("--reload-seconds", reload_seconds);
  app.add_option("--sample-seconds", sample_seconds);
  CLI11_PARSE(app, argc, argv);

  auto request = inferd::bench::BinaryRequest::Make(model, inputs);
  if (!request.ok()) return std::fprintf(stderr, "%s\n", request.status().ToString().c_str()), 2;

  inferd::client::HttpConnection control("127.0.0.1", port, std::chrono::seconds(300));
  const auto config = control.Get("/v2/models/" + model + "/config");
  if (!config.ok() || config->status != 200) return std::fprintf(stderr, "no config\n"), 1;

  const auto start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double, std::ratio<60>>(minutes));
  std::atomic<size_t> ok{0}, failed{0};
  std::atomic<bool> stop{false};
  std::string first_failure;
  std::atomic_flag failure_taken = ATOMIC_FLAG_INIT;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      inferd::client::HttpConnection connection("127.0.0.1", port);
      while (!stop.load(std::memory_order_relaxed)) {
        auto response = connection.Post(request->target, request->body, request->headers);
        if (response.ok() && response->status == 200) {
          ok.fetch_add(1, std::memory_order_relaxed);
          continue;
        }
        failed.fetch_add(1, std::memory_order_relaxed);
        if (!failure_taken.test_and_set()) {
          first_failure = response.ok() ? std::to_string(response->status) + " " + response->body
                                        : response.status().ToString();
        }
      }
    });
  }

  const auto elapsed_minutes = [&] {
    return std::chrono::duration<double, std::ratio<60>>(Clock::now() - start).count();
  };
  std::vector<RssSample> samples;
  int reloads = 0, failed_reloads = 0;
  const auto every = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  Clock::time_point next_reload = start + every(reload_seconds);
  Clock::time_point next_sample = start;
  while (Clock::now() < end) {
    const auto now = Clock::now();
    if (now >= next_sample) {
      samples.push_back({elapsed_minutes(),
                         static_cast<double>(inferd::testing::ResidentKib(pid)) / 1024.0,
                         inferd::testing::OpenFileCount(pid)});
      next_sample += every(sample_seconds);
    }
    if (now >= next_reload) {
      auto loaded = control.Post("/v2/repository/models/" + model + "/load",
                                 inferd::bench::ReloadBody(config->body, ++reloads));
      failed_reloads += !loaded.ok() || loaded->status != 200;
      next_reload += every(reload_seconds);
    }
    std::this_thread::sleep_until(std::min({next_sample, next_reload, end}));
  }
  stop = true;
  for (auto& t : threads) t.join();
  samples.push_back({elapsed_minutes(),
                     static_cast<double>(inferd::testing::ResidentKib(pid)) / 1024.0,
                     inferd::testing::OpenFileCount(pid)});

  std::printf("model %s, %d clients, %.0f min, a reload every %.0f s\n", model.c_str(), clients,
              minutes, reload_seconds);
  std::printf(
      "| requests ok | failed | reloads | failed reloads | RSS MiB first / last / max | "
      "RSS slope, 2nd half (MiB/min) | open fds first / last |\n|---|---|---|---|---|---|---|\n");
  double max_mib = 0;
  for (const auto& s : samples) max_mib = std::max(max_mib, s.mib);
  std::printf("| %zu | %zu | %d | %d | %.1f / %.1f / %.1f | %.3f | %d / %d |\n", ok.load(),
              failed.load(), reloads, failed_reloads, samples.front().mib, samples.back().mib,
              max_mib, SlopeMibPerMinute(samples, minutes / 2), samples.front().fds,
              samples.back().fds);
  if (!first_failure.empty()) std::printf("first failure: %s\n", first_failure.c_str());
  std::printf("RSS samples (min: MiB):");
  for (const auto& s : samples) std::printf(" %.1f:%.1f", s.minutes, s.mib);
  std::printf("\n");
  return failed.load() == 0 && failed_reloads == 0 ? 0 : 1;
}
