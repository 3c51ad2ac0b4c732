// Image preprocessing cost per image on one thread: decoding alone, and the whole convnet
// pipeline (decode, Resize(256), CenterCrop(224), ToTensor, Normalize, NCHW FP32), for the
// sample JPEG and PNG and for JPEG photos of 224x224, 640x480, 1024x768 and 2048x1536
// (tests/testdata/images/make_large_reference.py). bench/run_predict.sh puts these beside
// /predict's images per second.
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "preprocess/decode.h"
#include "preprocess/pipeline.h"

namespace inferd::preprocess {
namespace {

std::string Read(const std::string& name) {
  std::ifstream file(std::string(INFERD_SOURCE_DIR) + "/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

ImageSpec ConvnetSpec() {
  auto spec = ParsePipelineSpec(Read("examples/model_repository/convnet/pipeline.json"));
  if (!spec.ok()) std::abort();
  return spec->image;
}

const char* kImages[] = {
    "examples/images/shapes.jpg",          "examples/images/waves.png",
    "tests/testdata/images/photo224.jpg",  "tests/testdata/images/photo640.jpg",
    "tests/testdata/images/photo1024.jpg", "tests/testdata/images/photo2048.jpg"};

void BM_Decode(benchmark::State& state) {
  const std::string bytes = Read(kImages[state.range(0)]);
  for (auto _ : state) benchmark::DoNotOptimize(DecodeImage(bytes));
  state.SetLabel(kImages[state.range(0)]);
}
BENCHMARK(BM_Decode)->DenseRange(0, 5)->Unit(benchmark::kMicrosecond);

void BM_ConvnetPipeline(benchmark::State& state) {
  const std::string bytes = Read(kImages[state.range(0)]);
  const ImageSpec spec = ConvnetSpec();
  for (auto _ : state) benchmark::DoNotOptimize(RunImagePipeline(bytes, spec));
  state.SetLabel(kImages[state.range(0)]);
}
BENCHMARK(BM_ConvnetPipeline)->DenseRange(0, 5)->Unit(benchmark::kMicrosecond);

// The same with "jpeg_draft": true (docs/adr/0016): the photos at least twice the resize target
// (1024x768 at 1/2, 2048x1536 at 1/4) decode at a reduced DCT scale; the others are unchanged.
void BM_ConvnetPipelineDraft(benchmark::State& state) {
  const std::string bytes = Read(kImages[state.range(0)]);
  ImageSpec spec = ConvnetSpec();
  spec.resize->jpeg_draft = true;
  for (auto _ : state) benchmark::DoNotOptimize(RunImagePipeline(bytes, spec));
  state.SetLabel(kImages[state.range(0)]);
}
BENCHMARK(BM_ConvnetPipelineDraft)->DenseRange(3, 5)->Unit(benchmark::kMicrosecond);

// The steps after decoding, on the decoded sample JPEG: resize alone, and resize + crop + pack.
void BM_Resize(benchmark::State& state) {
  const auto image = DecodeImage(Read(kImages[0]));
  const ImageSpec spec = ConvnetSpec();
  const Size size = ShorterSideSize(image->width, image->height, spec.resize->shorter_side);
  for (auto _ : state) benchmark::DoNotOptimize(Resize(*image, size, spec.resize->interpolation));
}
BENCHMARK(BM_Resize)->Unit(benchmark::kMicrosecond);

void BM_Transform(benchmark::State& state) {
  const auto image = DecodeImage(Read(kImages[0]));
  const ImageSpec spec = ConvnetSpec();
  for (auto _ : state) benchmark::DoNotOptimize(TransformImage(*image, spec));
}
BENCHMARK(BM_Transform)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace inferd::preprocess

BENCHMARK_MAIN();
