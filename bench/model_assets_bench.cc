// What /predict and the classification extension pay per request to find a model's pipeline
// and labels: reading and parsing them (what every request did before they were read per load;
// the example convnet's pipeline.json and labels.txt, read as server::RepositoryFiles does)
// versus reaching those of the version the request runs on (lifecycle::ModelVersion::assets()).
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "preprocess/model_assets.h"

namespace inferd::preprocess {
namespace {

::inference::ModelConfig ConvnetConfig() {
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
  const ::inference::ModelConfig config = ConvnetConfig();
  for (auto _ : state) {
    ModelAssets assets = LoadModelAssets(config, Files(), 1);
    if (!assets.image.ok()) state.SkipWithError("convnet has no pipeline");
    benchmark::DoNotOptimize(assets);
  }
}
BENCHMARK(BM_ReadAndParseEveryRequest);

// What a request pays now: the version it already holds has the parsed assets; reaching them is
// a shared_ptr copy (the answer's callback keeps them alive).
void BM_AssetsOfTheVersionThatRuns(benchmark::State& state) {
  static const auto assets =
      std::make_shared<const ModelAssets>(LoadModelAssets(ConvnetConfig(), Files(), 1));
  for (auto _ : state) {
    std::shared_ptr<const ModelAssets> held = assets;
    benchmark::DoNotOptimize(held);
  }
}
BENCHMARK(BM_AssetsOfTheVersionThatRuns)->Threads(1)->Threads(2);

}  // namespace
}  // namespace inferd::preprocess

BENCHMARK_MAIN();
