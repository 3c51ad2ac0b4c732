// Ensemble overhead per step: the same tiny ONNX model (y = x + 1, FP32 [1, 4]) called directly
// through its scheduler and as every step of ensembles of N chained steps, in one process and
// one run, through the real model manager (the ensemble resolves, validates and enqueues each
// step as it does when serving). Rounds alternate the direct model and every ensemble, and each
// figure is the median over the rounds, so drifts of a shared machine hit all alike. Prints a
// Markdown table: each ensemble against N direct calls (what a client calling the steps itself
// would pay, minus the network), and the cost of one more step (the slope of a least-squares fit
// over N) against one direct call.
//
//   ensemble_bench --model FILE.onnx [--requests 20000] [--rounds 5] [--steps 1,2,4,8]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "backend/registry/builtin_backends.h"
#include "core/request_validator.h"
#include "lifecycle/model_manager.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ChainConfig(int steps) {
  std::string text = "name: \"chain" + std::to_string(steps) +
                     "\"\nplatform: \"ensemble\"\nmax_batch_size: 8\n"
                     "input [ { name: \"IN\" data_type: TYPE_FP32 dims: [ 4 ] } ]\n"
                     "output [ { name: \"OUT\" data_type: TYPE_FP32 dims: [ 4 ] } ]\n"
                     "ensemble_scheduling { step [\n";
  for (int i = 0; i < steps; ++i) {
    const std::string in = i == 0 ? "IN" : "t" + std::to_string(i);
    const std::string out = i == steps - 1 ? "OUT" : "t" + std::to_string(i + 1);
    text += std::string(i ? "," : "") + "{ model_name: \"plus\" model_version: -1 " +
            "input_map { key: \"INPUT0\" value: \"" + in + "\" } " +
            "output_map { key: \"OUTPUT0\" value: \"" + out + "\" } }\n";
  }
  return text + "] }\n";
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Mean microseconds per request, one request at a time, as the service runs it (validate,
// enqueue, wait for the answer).
double MeanMicros(inferd::lifecycle::ModelManager& manager, const std::string& model, int requests,
                  float* last) {
  std::vector<float> input = {1, 2, 3, 4};
  auto handle = manager.Get(model, 0);
  if (!handle.ok()) {
    std::fprintf(stderr, "%s\n", handle.status().ToString().c_str());
    std::exit(1);
  }
  const auto start = Clock::now();
  for (int i = 0; i < requests; ++i) {
    auto request = std::make_unique<inferd::core::InferenceRequest>();
    request->model_name = model;
    inferd::core::Tensor tensor{(*handle)->config().input(0).name(),
                                inferd::core::DataType::kFp32,
                                {1, 4},
                                std::as_bytes(std::span(input)),
                                nullptr};
    request->inputs.push_back(tensor);
    if (!inferd::core::ValidateRequest((*handle)->config(), *request).ok()) std::exit(2);
    std::promise<inferd::StatusOr<inferd::core::InferenceResponse>> answer;
    auto future = answer.get_future();
    (*handle)->scheduler().Enqueue(std::move(request),
                                   [&](auto result) { answer.set_value(std::move(result)); });
    auto result = future.get();
    if (!result.ok()) {
      std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
      std::exit(3);
    }
    std::memcpy(last, result->outputs[0].data.data(), sizeof(float));
  }
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / requests;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("ensemble overhead per step vs the step model called directly");
  std::string model_file;
  int requests = 20000;
  int rounds = 5;
  std::vector<int> steps = {1, 2, 4, 8};
  app.add_option("--model", model_file, "an ONNX y = x + c model, FP32 [batch, 4]")->required();
  app.add_option("--requests", requests);
  app.add_option("--rounds", rounds)->check(CLI::PositiveNumber);
  app.add_option("--steps", steps)->delimiter(',');
  CLI11_PARSE(app, argc, argv);

  const fs::path root = fs::temp_directory_path() /
                        ("inferd_ensemble_bench_" + std::to_string(std::random_device{}()));
  fs::create_directories(root / "plus" / "1");
  fs::copy_file(model_file, root / "plus" / "1" / "model.onnx");
  std::ofstream(root / "plus" / "config.pbtxt")
      << "name: \"plus\"\nbackend: \"onnxruntime\"\nmax_batch_size: 8\n"
         "instance_group [ { kind: KIND_CPU count: 1 } ]\n"
         "parameters { key: \"intra_op_thread_count\" value { string_value: \"1\" } }\n";
  for (int n : steps) {
    fs::create_directories(root / ("chain" + std::to_string(n)) / "1");
    std::ofstream(root / ("chain" + std::to_string(n)) / "config.pbtxt") << ChainConfig(n);
  }
  inferd::backend::BackendRegistry registry;
  if (!inferd::backend::RegisterBuiltinBackends(registry).ok()) return 1;
  inferd::lifecycle::ManagerOptions options;
  options.repositories = {root};
  options.cpu_cores = 1;
  int status = 0;
  {
    inferd::lifecycle::ModelManager manager(registry, options);
    if (!manager.LoadAll().ok() || !manager.AllReady()) {
      std::fprintf(stderr, "models did not load\n");
      status = 1;
    } else {
      float last = 0;
      MeanMicros(manager, "plus", requests / 10, &last);  // warm up
      std::vector<double> direct_rounds;
      std::vector<std::vector<double>> chain_rounds(steps.size());
      for (int round = 0; round < rounds; ++round) {
        direct_rounds.push_back(MeanMicros(manager, "plus", requests, &last));
        for (size_t k = 0; k < steps.size(); ++k) {
          const std::string name = "chain" + std::to_string(steps[k]);
          chain_rounds[k].push_back(MeanMicros(manager, name, requests, &last));
          if (last != 1.0f + static_cast<float>(steps[k])) {
            std::fprintf(stderr, "wrong answer from %s\n", name.c_str());
            status = 1;
          }
        }
      }
      const double direct = Median(direct_rounds);
      std::printf("| model | us/request (median of %d rounds) | N x direct (us) | ratio |\n",
                  rounds);
      std::printf("|---|---|---|---|\n");
      std::printf("| plus, direct | %.2f | | |\n", direct);
      double sx = 0, sy = 0, sxx = 0, sxy = 0;
      for (size_t k = 0; k < steps.size(); ++k) {
        const double ensemble = Median(chain_rounds[k]);
        const double n = steps[k];
        sx += n;
        sy += ensemble;
        sxx += n * n;
        sxy += n * ensemble;
        std::printf("| ensemble of %d | %.2f | %.2f | %.2f |\n", steps[k], ensemble, n * direct,
                    ensemble / (n * direct));
      }
      const double count = static_cast<double>(steps.size());
      const double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
      std::printf(
          "\none more ensemble step: %.2f us; one direct call: %.2f us; "
          "overhead per step: %.2f us\n",
          slope, direct, slope - direct);
    }
  }
  fs::remove_all(root);
  return status;
}
