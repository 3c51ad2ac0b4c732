// Model load time: inferd's full version load (sha256 of the file, signature, config
// auto-complete, sessions for every instance, warmup, scheduler) beside its limit, ONNX Runtime
// session creation alone for the same instances, measured in the same run. Prints a Markdown row.
//
//   model_load_bench --repo DIR --model NAME [--repeat 5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "backend/registry/builtin_backends.h"
#include "lifecycle/model_loader.h"
#include "repository/repository_scanner.h"

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("model load time vs ORT session creation");
  std::string repo;
  std::string model;
  int repeat = 5;
  app.add_option("--repo", repo)->required();
  app.add_option("--model", model)->required();
  app.add_option("--repeat", repeat);
  CLI11_PARSE(app, argc, argv);

  auto dirs = inferd::repository::ScanRepositories({repo});
  if (!dirs.ok()) return std::fprintf(stderr, "%s\n", dirs.status().ToString().c_str()), 1;
  auto dir = std::find_if(dirs->begin(), dirs->end(), [&](auto& d) { return d.name == model; });
  if (dir == dirs->end()) return std::fprintf(stderr, "no model %s\n", model.c_str()), 1;
  auto raw_config = inferd::lifecycle::ReadModelConfig(*dir);
  if (!raw_config.ok())
    return std::fprintf(stderr, "%s\n", raw_config.status().ToString().c_str()), 1;
  inferd::backend::BackendRegistry registry;
  if (auto registered = inferd::backend::RegisterBuiltinBackends(registry); !registered.ok())
    return std::fprintf(stderr, "%s\n", registered.ToString().c_str()), 1;
  auto resolved = registry.Resolve(*raw_config);
  if (!resolved.ok()) return std::fprintf(stderr, "%s\n", resolved.status().ToString().c_str()), 1;
  auto backend = (*resolved)->Get();
  if (!backend.ok()) return std::fprintf(stderr, "%s\n", backend.status().ToString().c_str()), 1;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const int64_t version = dir->versions.rbegin()->first;

  std::vector<double> full_ms;
  std::vector<double> sessions_ms;
  for (int i = 0; i < repeat; ++i) {
    auto start = Clock::now();
    auto artifact = inferd::lifecycle::IdentifyVersion(*dir, version, *raw_config);
    auto loaded = inferd::lifecycle::LoadModelVersion(**resolved, *dir, version, *raw_config,
                                                      {model, true, 4, cores}, *artifact);
    if (!loaded.ok()) return std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str()), 1;
    full_ms.push_back(MillisSince(start));
    const auto config = (*loaded)->config();
    loaded->reset();

    // The limit: the same sessions (same instance count and session options), nothing else.
    start = Clock::now();
    auto file = inferd::repository::ModelFilePath(*dir, version, config);
    auto session_model =
        (*backend)->LoadModel(inferd::backend::ModelSpec{model, version, file, config});
    std::vector<std::unique_ptr<inferd::backend::Instance>> instances;
    for (const auto& group : config.instance_group()) {
      for (int c = 0; c < group.count(); ++c) {
        instances.push_back(*(*session_model)->CreateInstance(static_cast<int>(instances.size())));
      }
    }
    sessions_ms.push_back(MillisSince(start));
  }
  const double full = Median(full_ms);
  const double sessions = Median(sessions_ms);
  std::printf("| %s | %.1f | %.1f | %.2f |\n", model.c_str(), full, sessions, full / sessions);
  return 0;
}
