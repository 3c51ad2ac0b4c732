// Reload switch-over gap: client threads infer one model over HTTP while the model is reloaded
// through the repository API (each reload changes a config parameter, so it is a real reload:
// new sessions loaded beside the old, switch, drain). Compares request latency in the windows
// around reloads with steady state, in the same run. The server must run in explicit mode.
//
//   reload_gap_bench --port P --model NAME --input INPUT0 --shape 1,3,224,224
//                    [--threads 4] [--reloads 5] [--steady-seconds 5]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "client/http_connection.h"
#include "reload_body.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Sample {
  Clock::time_point start;
  double us;
  bool ok;
};

std::string Body(const std::string& input, const std::vector<int64_t>& shape, size_t& bytes) {
  int64_t count = 1;
  std::string dims;
  for (int64_t d : shape) {
    count *= d;
    dims += (dims.empty() ? "" : ",") + std::to_string(d);
  }
  bytes = static_cast<size_t>(count) * 4;
  return R"({"inputs":[{"name":")" + input + R"(","shape":[)" + dims +
         R"(],"datatype":"FP32","parameters":{"binary_data_size":)" + std::to_string(bytes) +
         "}}]}";
}

struct Summary {
  size_t n = 0;
  size_t failed = 0;
  double p50 = 0, p99 = 0, max = 0;
};

Summary Summarise(std::vector<double> us, size_t failed) {
  Summary s;
  s.failed = failed;
  s.n = us.size();
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  s.p50 = us[us.size() / 2];
  s.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  s.max = us.back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("latency during reloads vs steady state");
  int port = 0, threads = 4, reloads = 5;
  double steady_seconds = 5;
  std::string model, input;
  std::vector<int64_t> shape;
  app.add_option("--port", port)->required();
  app.add_option("--model", model)->required();
  app.add_option("--input", input)->required();
  app.add_option("--shape", shape)->required()->delimiter(',');
  app.add_option("--threads", threads);
  app.add_option("--reloads", reloads);
  app.add_option("--steady-seconds", steady_seconds);
  CLI11_PARSE(app, argc, argv);

  size_t bytes = 0;
  const std::string header = Body(input, shape, bytes);
  std::string body = header + std::string(bytes, '\0');
  const std::map<std::string, std::string> headers = {
      {"Inference-Header-Content-Length", std::to_string(header.size())},
      {"Content-Type", "application/octet-stream"}};
  const std::string target = "/v2/models/" + model + "/infer";

  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<Sample> samples;
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&] {
      inferd::client::HttpConnection connection("127.0.0.1", port);
      while (!stop) {
        const auto start = Clock::now();
        auto response = connection.Post(target, body, headers);
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        absl::MutexLock lock(&mu);
        samples.push_back({start, us, response.ok() && response->status == 200});
      }
    });
  }
  inferd::client::HttpConnection control("127.0.0.1", port, std::chrono::seconds(300));
  const auto config = control.Get("/v2/models/" + model + "/config");
  if (!config.ok() || config->status != 200) return std::fprintf(stderr, "no config\n"), 1;

  std::this_thread::sleep_for(std::chrono::duration<double>(steady_seconds));  // steady window
  const auto steady_end = Clock::now();
  std::vector<std::pair<Clock::time_point, Clock::time_point>> windows;
  double load_ms_total = 0;
  for (int i = 0; i < reloads; ++i) {
    const auto start = Clock::now();
    auto loaded = control.Post("/v2/repository/models/" + model + "/load",
                               inferd::bench::ReloadBody(config->body, i + 1));
    if (!loaded.ok() || loaded->status != 200) {
      std::fprintf(stderr, "reload failed: %s\n", loaded.ok() ? loaded->body.c_str() : "no answer");
      return 1;
    }
    windows.emplace_back(start, Clock::now());
    load_ms_total += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the old version drain
  }
  stop = true;
  for (auto& c : clients) c.join();

  std::vector<double> steady, during;
  size_t steady_failed = 0, during_failed = 0;
  for (const auto& s : samples) {
    const bool in_reload = std::any_of(windows.begin(), windows.end(), [&](const auto& w) {
      return s.start >= w.first && s.start <= w.second + std::chrono::milliseconds(500);
    });
    if (s.start < steady_end && !in_reload) {
      steady.push_back(s.us);
      steady_failed += !s.ok;
    } else if (in_reload) {
      during.push_back(s.us);
      during_failed += !s.ok;
    }
  }
  const Summary a = Summarise(steady, steady_failed);
  const Summary b = Summarise(during, during_failed);
  std::printf("| %s | steady | %zu | %zu | %.0f | %.0f | %.0f |\n", model.c_str(), a.n, a.failed,
              a.p50, a.p99, a.max);
  std::printf("| %s | during %d reloads (avg %.0f ms each) | %zu | %zu | %.0f | %.0f | %.0f |\n",
              model.c_str(), reloads, load_ms_total / reloads, b.n, b.failed, b.p50, b.p99, b.max);
  return 0;
}
