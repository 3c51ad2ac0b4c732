// End-to-end throughput and latency of one model over HTTP (KServe v2, binary tensors, keep-alive)
// beside the limit: the same model, input and instance/thread settings run in-process through
// the model's backend (ONNX Runtime or libtorch, as its config says), measured in the same run.
// Prints one Markdown table row per case.
//
//   e2e_bench --repo DIR --model NAME --port P [--concurrency 1,16] [--seconds 5]
//
// The server must already be serving DIR on 127.0.0.1:P (bench/run_e2e.sh does that).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "backend/registry/builtin_backends.h"
#include "client/http_connection.h"
#include "core/bytes_layout.h"
#include "lifecycle/model_loader.h"
#include "repository/repository_scanner.h"

namespace {

using Clock = std::chrono::steady_clock;
using inferd::core::Tensor;

struct Stats {
  double throughput = 0;
  double p50_us = 0;
  double p95_us = 0;
  double p99_us = 0;
};

Stats Summarise(std::vector<std::vector<double>>& per_thread, double seconds) {
  std::vector<double> all;
  for (auto& v : per_thread) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Stats s;
  if (all.empty()) return s;
  s.throughput = static_cast<double>(all.size()) / seconds;
  s.p50_us = all[all.size() / 2];
  s.p95_us = all[std::min(all.size() - 1, all.size() * 95 / 100)];
  s.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return s;
}

// Runs `work` on `threads` threads for `seconds`; each call's latency is recorded.
template <typename Work>
Stats RunFor(int threads, double seconds, Work&& work) {
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        auto state = work.MakeState(t);
        while (!stop.load(std::memory_order_relaxed)) {
          const auto start = Clock::now();
          if (!work.Call(state)) ++failures;
          // Completions after the window closes are not counted: with many callers they would
          // inflate throughput by up to one latency's worth of requests.
          if (stop.load(std::memory_order_relaxed)) break;
          latencies[t].push_back(
              std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // the measurement window
    stop = true;
  }
  if (failures > 0) std::fprintf(stderr, "%d failed calls\n", failures.load());
  return Summarise(latencies, seconds);
}

std::vector<Tensor> RandomInputs(const inference::ModelConfig& config, int64_t batch,
                                 std::vector<std::vector<std::byte>>& storage) {
  std::mt19937 rng(42);
  std::vector<Tensor> inputs;
  for (const auto& in : config.input()) {
    Tensor t;
    t.name = in.name();
    t.dtype = inferd::core::FromConfigType(in.data_type());
    if (config.max_batch_size() > 0) t.shape.push_back(batch);
    t.shape.insert(t.shape.end(), in.dims().begin(), in.dims().end());
    size_t n = 1;
    for (auto d : t.shape) n *= static_cast<size_t>(d);
    auto& buffer = storage.emplace_back(n * inferd::core::ElementSize(t.dtype));
    for (auto& b : buffer) b = std::byte(rng() % 8);  // small values: valid for ints and floats
    t.data = buffer;
    inputs.push_back(std::move(t));
  }
  return inputs;
}

std::string BinaryHeader(const std::string& model, const std::vector<Tensor>& inputs) {
  std::string json = R"({"inputs":[)";
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& t = inputs[i];
    json += (i ? "," : "") + std::string(R"({"name":")") + t.name + R"(","shape":[)";
    for (size_t d = 0; d < t.shape.size(); ++d) json += (d ? "," : "") + std::to_string(t.shape[d]);
    json += std::string(R"(],"datatype":")") + inferd::core::DataTypeName(t.dtype) +
            R"(","parameters":{"binary_data_size":)" + std::to_string(t.data.size()) + "}}";
  }
  (void)model;
  return json + R"(],"parameters":{"binary_data_output":true}})";
}

struct InProcess {
  std::vector<std::unique_ptr<inferd::backend::Instance>>* instances;
  const std::vector<Tensor>* inputs;
  inferd::backend::Instance* MakeState(int t) { return (*instances)[t % instances->size()].get(); }
  bool Call(inferd::backend::Instance* instance) const {
    return instance->Execute(*inputs, {}).ok();
  }
};

struct OverHttp {
  int port;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
  std::unique_ptr<inferd::client::HttpConnection> MakeState(int) const {
    return std::make_unique<inferd::client::HttpConnection>("127.0.0.1", port);
  }
  bool Call(std::unique_ptr<inferd::client::HttpConnection>& c) const {
    auto r = c->Post(target, body, headers);
    return r.ok() && r->status == 200;
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"inferd end-to-end benchmark"};
  std::string repo, model;
  int port = 0;
  std::vector<int> concurrency = {1, 16};
  double seconds = 5;
  app.add_option("--repo", repo)->required();
  app.add_option("--model", model)->required();
  app.add_option("--port", port)->required();
  app.add_option("--concurrency", concurrency)->delimiter(',');
  app.add_option("--seconds", seconds);
  std::vector<int64_t> baseline_batches = {1};
  app.add_option("--baseline-batch", baseline_batches, "in-process batch sizes for the limit")
      ->delimiter(',');
  CLI11_PARSE(app, argc, argv);

  auto dirs = inferd::repository::ScanRepositories({repo});
  if (!dirs.ok()) return std::fprintf(stderr, "%s\n", dirs.status().ToString().c_str()), 1;
  auto dir = std::find_if(dirs->begin(), dirs->end(), [&](auto& d) { return d.name == model; });
  if (dir == dirs->end()) return std::fprintf(stderr, "no model %s\n", model.c_str()), 1;
  // The backend the model's config names (ONNX Runtime, libtorch...), as the server resolves it.
  inferd::backend::BackendRegistry registry;
  if (auto s = inferd::backend::RegisterBuiltinBackends(registry); !s.ok()) {
    return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  }
  auto raw_config = inferd::lifecycle::ReadModelConfig(*dir);
  if (!raw_config.ok())
    return std::fprintf(stderr, "%s\n", raw_config.status().ToString().c_str()), 1;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const int64_t newest = dir->versions.rbegin()->first;
  const std::vector<std::filesystem::path> version_dirs = {dir->versions.rbegin()->second};
  auto resolved = registry.Resolve(*raw_config, version_dirs);
  if (!resolved.ok()) return std::fprintf(stderr, "%s\n", resolved.status().ToString().c_str()), 1;
  (*resolved)->FillIdentity(*raw_config);
  auto artifact = inferd::lifecycle::IdentifyVersion(*dir, newest, *raw_config);
  if (!artifact.ok()) return std::fprintf(stderr, "%s\n", artifact.status().ToString().c_str()), 1;
  auto version = inferd::lifecycle::LoadModelVersion(**resolved, *dir, newest, *raw_config,
                                                     {model, true, 4, cores}, *artifact);
  if (!version.ok()) return std::fprintf(stderr, "%s\n", version.status().ToString().c_str()), 1;
  const auto& config = (*version)->config();
  // The baseline gets the same instances (sessions, threads) the server creates for this config.
  auto backend = (*resolved)->Get();
  if (!backend.ok()) return std::fprintf(stderr, "%s\n", backend.status().ToString().c_str()), 1;
  auto model_file = inferd::repository::ModelFilePath(*dir, newest, config);
  auto loaded = (*backend)->LoadModel({model, 1, model_file, config});
  if (!loaded.ok()) return std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str()), 1;
  std::vector<std::unique_ptr<inferd::backend::Instance>> instances;
  int count = 0;
  for (const auto& g : config.instance_group()) count += g.count();
  for (int i = 0; i < count; ++i) instances.push_back(*(*loaded)->CreateInstance(i));

  std::vector<std::vector<std::byte>> storage;
  auto inputs = RandomInputs(config, 1, storage);
  OverHttp http{port, "/v2/models/" + model + "/infer", BinaryHeader(model, inputs), {}};
  http.headers["Inference-Header-Content-Length"] = std::to_string(http.body.size());
  for (const auto& t : inputs) {
    http.body.append(reinterpret_cast<const char*>(t.data.data()), t.data.size());
  }

  const int n_instances = static_cast<int>(instances.size());
  std::printf(
      "| model | instances | concurrency | HTTP infer/s | p50 us | p95 us | p99 us | "
      "in-process batch-1 infer/s | ratio |\n|---|---|---|---|---|---|---|---|---|\n");
  for (int c : concurrency) {
    // In-process: one caller per instance at most; more callers would only queue on them.
    auto local = RunFor(std::min(c, n_instances), seconds, InProcess{&instances, &inputs});
    auto remote = RunFor(c, seconds, http);
    std::printf("| %s | %d | %d | %.1f | %.0f | %.0f | %.0f | %.1f | %.2f |\n", model.c_str(),
                n_instances, c, remote.throughput, remote.p50_us, remote.p95_us, remote.p99_us,
                local.throughput, remote.throughput / local.throughput);
    std::fflush(stdout);
  }
  // The limit: in-process ORT on all instances at each batch size (infer/s = batches/s x batch).
  for (int64_t b : baseline_batches) {
    if (b > 1 && b > config.max_batch_size()) continue;
    std::vector<std::vector<std::byte>> batch_storage;
    auto batch_inputs = RandomInputs(config, b, batch_storage);
    auto local = RunFor(n_instances, seconds, InProcess{&instances, &batch_inputs});
    std::printf("in-process %s: %d instances, batch %ld: %.1f infer/s\n", model.c_str(),
                n_instances, static_cast<long>(b), local.throughput * static_cast<double>(b));
  }
  return 0;
}
