// What /predict and the classification extension pay per request to find a model's pipeline
// and labels: reading and parsing them (what every request did before the per-load cache; the
// example convnet's pipeline.json and labels.txt, read as server::RepositoryFiles does) versus a
// hit in preprocess::ModelAssetCache (a facade lookup of the load generation + a shared lock).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "preprocess/model_assets.h"

namespace inferd::preprocess {
namespace {

// A facade serving convnet version 1 at a fixed load generation; only what the cache calls.
class ConvnetService : public core::InferenceService {
 public:
  bool IsLive() const override { return true; }
  bool IsReady() const override { return true; }
  core::ServerMetadata GetServerMetadata() const override { return {}; }
  Status ModelReady(std::string_view, int64_t) const override { return absl::OkStatus(); }
  StatusOr<core::ModelMetadata> GetModelMetadata(std::string_view, int64_t) const override {
    return absl::UnimplementedError("");
  }
  StatusOr<core::LoadedVersion> ResolveLoadedVersion(std::string_view, int64_t) const override {
    return core::LoadedVersion{1, 1};
  }
  StatusOr<::inference::ModelConfig> GetModelConfig(std::string_view, int64_t) const override {
    ::inference::ModelConfig config;
    config.set_name("convnet");
    config.set_max_batch_size(8);
    auto* input = config.add_input();
    input->set_name("INPUT0");
    input->set_data_type(::inference::TYPE_FP32);
    for (int d : {3, 224, 224}) input->add_dims(d);
    auto* output = config.add_output();
    output->set_name("OUTPUT0");
    output->set_data_type(::inference::TYPE_FP32);
    output->add_dims(10);
    output->set_label_filename("labels.txt");
    return config;
  }
  std::vector<core::RepositoryEntry> RepositoryIndex(bool) const override { return {}; }
  StatusOr<std::vector<core::ModelStatistics>> GetModelStatistics(std::string_view,
                                                                  int64_t) const override {
    return std::vector<core::ModelStatistics>{};
  }
  void LoadModel(core::LoadModelRequest, core::StatusCallback done) override {
    done(absl::OkStatus());
  }
  void UnloadModel(std::string, core::StatusCallback done) override { done(absl::OkStatus()); }
  void Infer(std::unique_ptr<core::InferenceRequest>, core::ResponseCallback done) override {
    std::move(done)(absl::UnimplementedError(""));
  }
};

// The files of the example repository, read as server::RepositoryFiles reads them (stat, then
// the whole file) without linking the server.
class DirFiles : public ModelFiles {
 public:
  StatusOr<std::string> Read(std::string_view model, int64_t version,
                             std::string_view file) const override {
    std::filesystem::path path =
        std::filesystem::path(INFERD_SOURCE_DIR) / "examples/model_repository" / std::string(model);
    if (version > 0) path /= std::to_string(version);
    path /= std::string(file);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return absl::NotFoundError("no such file");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

const DirFiles& Files() {
  static const DirFiles files;
  return files;
}

void BM_ReadAndParseEveryRequest(benchmark::State& state) {
  ConvnetService service;
  for (auto _ : state) {
    auto config = service.GetModelConfig("convnet", 1);
    ModelAssets assets = LoadModelAssets(*config, Files(), {1, 1});
    if (!assets.image.ok()) state.SkipWithError("convnet has no pipeline");
    benchmark::DoNotOptimize(assets);
  }
}
BENCHMARK(BM_ReadAndParseEveryRequest);

void BM_CacheHit(benchmark::State& state) {
  static ConvnetService service;
  static ModelAssetCache cache(service, Files());
  for (auto _ : state) {
    auto assets = cache.Get("convnet", 0);
    benchmark::DoNotOptimize(assets);
  }
}
BENCHMARK(BM_CacheHit)->Threads(1)->Threads(2);

}  // namespace
}  // namespace inferd::preprocess

BENCHMARK_MAIN();
