// Overload: a model offered many times its capacity. Three phases against one running server, in
// one run: (1) unloaded latency, one closed-loop client; (2) capacity, closed loop with
// --capacity-clients; (3) open-loop arrivals at --multiplier × that capacity for --seconds,
// spread over --connections keep-alive connections. Admitted answers (200) and rejections
// (503 + Retry-After) are timed apart, from the moment each request was sent. With --pid, the
// server's RSS and open descriptors are read before the overload, at its end, and after it has
// settled (descriptors awaited back to baseline, bounded). The CPU time the server and this
// generator used during the overload is printed too: on a shared machine (or cores shared by
// both, see run_overload.sh's PIN) it is what the two take from each other.
//
//   overload_bench --port P --model convnet --input INPUT0:1,3,224,224:FP32 [--pid N]
//                  [--multiplier 10] [--seconds 60] [--connections 64] [--capacity-clients 8]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "bench_request.h"
#include "client/http_connection.h"
#include "testing/proc_stats.h"

namespace {

using Clock = std::chrono::steady_clock;
using inferd::bench::BinaryRequest;
using inferd::bench::LatencySummary;
using inferd::bench::Summarise;

struct Tally {
  absl::Mutex mu;
  std::vector<double> admitted_us ABSL_GUARDED_BY(mu);
  std::vector<double> rejected_us ABSL_GUARDED_BY(mu);
  size_t rejected_without_retry_after ABSL_GUARDED_BY(mu) = 0;
  size_t other ABSL_GUARDED_BY(mu) = 0;
  std::string first_other ABSL_GUARDED_BY(mu);
};

void Record(Tally& tally, const inferd::StatusOr<inferd::client::HttpResponse>& response,
            double us) {
  absl::MutexLock lock(&tally.mu);
  if (response.ok() && response->status == 200) {
    tally.admitted_us.push_back(us);
  } else if (response.ok() && response->status == 503) {
    tally.rejected_us.push_back(us);
    tally.rejected_without_retry_after += response->headers.count("retry-after") == 0;
  } else {
    ++tally.other;
    if (tally.first_other.empty()) {
      tally.first_other = response.ok() ? std::to_string(response->status) + " " + response->body
                                        : response.status().ToString();
    }
  }
}

// `clients` closed-loop clients for `seconds`; answers tallied.
void ClosedLoop(int port, const BinaryRequest& request, int clients, double seconds, Tally& tally) {
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      inferd::client::HttpConnection connection("127.0.0.1", port);
      while (Clock::now() < end) {
        const auto start = Clock::now();
        auto response = connection.Post(request.target, request.body, request.headers);
        Record(tally, response,
               std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      }
    });
  }
  for (auto& t : threads) t.join();
}

// Open loop: connection c sends at start + (k × connections + c) / rate until `seconds` have
// passed; a connection still waiting for an answer sends at once when it gets it (counted in
// `late`), so what was really offered is reported as the rate sent.
size_t OpenLoop(int port, const BinaryRequest& request, int connections, double rate,
                double seconds, Tally& tally, std::atomic<size_t>& late) {
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  const auto interval = std::chrono::duration<double>(connections / rate);
  std::atomic<size_t> sent{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      inferd::client::HttpConnection connection("127.0.0.1", port);
      auto next = start + std::chrono::duration_cast<Clock::duration>(interval * c / connections);
      while (next < end && Clock::now() < end) {
        if (Clock::now() < next) {
          std::this_thread::sleep_until(next);
        } else {
          late.fetch_add(1, std::memory_order_relaxed);
        }
        const auto sent_at = Clock::now();
        auto response = connection.Post(request.target, request.body, request.headers);
        sent.fetch_add(1, std::memory_order_relaxed);
        Record(tally, response,
               std::chrono::duration<double, std::micro>(Clock::now() - sent_at).count());
        next += std::chrono::duration_cast<Clock::duration>(interval);
      }
    });
  }
  for (auto& t : threads) t.join();
  return sent.load();
}

struct ProcReading {
  int64_t rss_kib = -1;
  int fds = -1;
};

// User + system CPU seconds of a process (/proc/PID/stat, fields 14 and 15); -1 when unreadable.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

ProcReading Read(pid_t pid) {
  if (pid <= 0) return {};
  return {inferd::testing::ResidentKib(pid), inferd::testing::OpenFileCount(pid)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("admitted and rejected latency at a multiple of a model's capacity");
  int port = 0, connections = 64, capacity_clients = 8;
  pid_t pid = 0;
  double multiplier = 10, seconds = 60, unloaded_seconds = 5, capacity_seconds = 5;
  std::string model;
  std::vector<std::string> inputs;
  app.add_option("--port", port)->required();
  app.add_option("--model", model)->required();
  app.add_option("--input", inputs, "NAME:D1,D2,...:DATATYPE (repeatable)")->required();
  app.add_option("--pid", pid, "the server's pid, for RSS and descriptor readings");
  app.add_option("--multiplier", multiplier);
  app.add_option("--seconds", seconds);
  app.add_option("--connections", connections);
  app.add_option("--capacity-clients", capacity_clients);
  app.add_option("--unloaded-seconds", unloaded_seconds);
  app.add_option("--capacity-seconds", capacity_seconds);
  CLI11_PARSE(app, argc, argv);

  auto request = BinaryRequest::Make(model, inputs);
  if (!request.ok()) return std::fprintf(stderr, "%s\n", request.status().ToString().c_str()), 2;

  Tally unloaded;
  ClosedLoop(port, *request, 1, unloaded_seconds, unloaded);
  Tally capacity_tally;
  ClosedLoop(port, *request, capacity_clients, capacity_seconds, capacity_tally);
  double capacity = 0;
  {
    absl::MutexLock lock(&capacity_tally.mu);
    capacity = static_cast<double>(capacity_tally.admitted_us.size()) / capacity_seconds;
  }
  if (capacity <= 0) return std::fprintf(stderr, "no request succeeded\n"), 1;

  const ProcReading before = Read(pid);
  const double server_cpu_before = pid > 0 ? ProcessCpuSeconds(pid) : -1;
  const double own_cpu_before = OwnCpuSeconds();
  const auto overload_start = Clock::now();
  Tally overload;
  std::atomic<size_t> late{0};
  const size_t sent =
      OpenLoop(port, *request, connections, multiplier * capacity, seconds, overload, late);
  const double wall = std::chrono::duration<double>(Clock::now() - overload_start).count();
  const double own_cores = (OwnCpuSeconds() - own_cpu_before) / wall;
  const double server_cores = pid > 0 ? (ProcessCpuSeconds(pid) - server_cpu_before) / wall : -1;
  const ProcReading at_end = Read(pid);
  ProcReading settled = Read(pid);
  for (int i = 0; i < 100 && pid > 0 && settled.fds > before.fds; ++i) {  // bounded: 10 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    settled = Read(pid);
  }

  absl::MutexLock l1(&unloaded.mu);
  absl::MutexLock l2(&overload.mu);
  const LatencySummary base = Summarise(unloaded.admitted_us);
  const LatencySummary admitted = Summarise(overload.admitted_us);
  const LatencySummary rejected = Summarise(overload.rejected_us);
  std::printf("model %s: unloaded p50 %.0f us, p95 %.0f us; capacity %.0f req/s (%d clients)\n",
              model.c_str(), base.p50, base.p95, capacity, capacity_clients);
  std::printf(
      "offered %.0f req/s (%.0fx) for %.0f s over %d connections: sent %.0f req/s "
      "(%zu sends late)\n",
      multiplier * capacity, multiplier, seconds, connections, static_cast<double>(sent) / seconds,
      late.load());
  std::printf(
      "| answers | count | p50 (us) | p95 (us) | p99 (us) | max (us) "
      "|\n|---|---|---|---|---|---|\n");
  std::printf("| unloaded (1 client) | %zu | %.0f | %.0f | %.0f | %.0f |\n", base.n, base.p50,
              base.p95, base.p99, base.max);
  std::printf("| admitted (200) | %zu | %.0f | %.0f | %.0f | %.0f |\n", admitted.n, admitted.p50,
              admitted.p95, admitted.p99, admitted.max);
  std::printf("| rejected (503) | %zu | %.0f | %.0f | %.0f | %.0f |\n", rejected.n, rejected.p50,
              rejected.p95, rejected.p99, rejected.max);
  std::printf("other answers: %zu%s%s; 503 without Retry-After: %zu\n", overload.other,
              overload.first_other.empty() ? "" : ", first: ", overload.first_other.c_str(),
              overload.rejected_without_retry_after);
  std::printf(
      "admitted p95 / unloaded p95: %.2f (target <= 2); rejection p99: %.2f ms "
      "(target < 5)\n",
      base.p95 > 0 ? admitted.p95 / base.p95 : 0.0, rejected.p99 / 1000.0);
  std::printf("CPU during the overload (cores busy): generator %.2f, server %.2f\n", own_cores,
              server_cores);
  if (pid > 0) {
    std::printf(
        "server RSS MiB before / at end / settled: %.1f / %.1f / %.1f; open fds: %d / %d / "
        "%d\n",
        before.rss_kib / 1024.0, at_end.rss_kib / 1024.0, settled.rss_kib / 1024.0, before.fds,
        at_end.fds, settled.fds);
  }
  return overload.other == 0 ? 0 : 1;
}
