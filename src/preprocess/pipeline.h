// The image pipeline a model declares beside its files (docs/preprocessing.md): how an uploaded
// JPEG/PNG becomes the model's input tensor (decode, EXIF orientation, color, resize, center
// crop, scale, mean/std, layout, dtype), and how the model's output becomes classes (softmax,
// top-k). ParsePipelineSpec reads the declaration (a JSON file, `pipeline.json`); RunImagePipeline
// is the one entry point every front end calls with an image body.
//
// Pure functions, thread-safe; a spec is immutable once parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/tensor.h"
#include "preprocess/decode.h"
#include "preprocess/resize.h"

namespace inferd::preprocess {

inline constexpr std::string_view kPipelineFileName = "pipeline.json";

enum class ColorOrder { kRgb, kBgr, kGray };
enum class Layout { kNchw, kNhwc };

struct ResizeSpec {
  int shorter_side = 0;  // > 0: torchvision Resize(int); else the exact size below
  Size exact;
  Interpolation interpolation = Interpolation::kBilinear;
  // A JPEG at least twice the target is decoded at a reduced DCT scale first (PIL's draft,
  // docs/adr/0016): faster, not torchvision's pixels, so off unless the declaration asks.
  bool jpeg_draft = false;
};

struct ImageSpec {
  std::string input;  // the model input it feeds; empty = the model's only input
  ColorOrder color = ColorOrder::kRgb;
  bool exif_orientation = true;
  int64_t max_pixels = 40'000'000;
  std::optional<ResizeSpec> resize;
  std::optional<Size> center_crop;
  bool scale = true;        // FP32 only: divide by 255 (torchvision's ToTensor)
  std::vector<float> mean;  // empty, or one value per channel
  std::vector<float> std;   // empty, or one value per channel
  Layout layout = Layout::kNchw;
  core::DataType dtype = core::DataType::kFp32;  // kFp32 or kUint8
};

struct OutputSpec {
  std::string output;  // the model output holding the scores; empty = the model's only output
  bool softmax = true;
  int top_k = 5;
};

struct PipelineSpec {
  ImageSpec image;
  OutputSpec output;
};

// InvalidArgument naming the offending key for a malformed declaration.
StatusOr<PipelineSpec> ParsePipelineSpec(std::string_view json);

// Timings of one run, for statistics.
struct PipelineTimings {
  int64_t decode_ns = 0;
  int64_t transform_ns = 0;  // resize, crop, normalize, pack
};

// The decoded, transformed image as a tensor named spec.input: shape [C,H,W] (NCHW) or [H,W,C]
// (NHWC), without a batch dimension. InvalidArgument for a bad image (a 400).
StatusOr<core::Tensor> RunImagePipeline(std::string_view image_bytes, const ImageSpec& spec,
                                        PipelineTimings* timings = nullptr);

// The transform steps after decoding (exposed for tests and benchmarks): resize, crop, pack.
StatusOr<core::Tensor> TransformImage(const Image& image, const ImageSpec& spec);

struct Prediction {
  int64_t index = 0;
  float score = 0;
};

// Top-k (spec.top_k; <= 0 = all) of `scores`, after a numerically stable softmax when
// spec.softmax; highest first, ties by lower index.
std::vector<Prediction> TopK(const std::vector<float>& scores, const OutputSpec& spec);

}  // namespace inferd::preprocess
