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
#include "preprocess/text_boxes.h"

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
  // > 0: a text line's resize: exact.height high, the width keeping the aspect ratio (rounded
  // up) but at most max_width (PP-OCR's resize_norm_img); exact.width is max_width.
  int max_width = 0;
  // > 0 (with max_width): width / height above this is refused, not squeezed unreadably; (with
  // max_side) the longer side over the shorter, for pages.
  double max_aspect_ratio = 0;
  // > 0: a page's resize for a text detector (PP-OCR's DetResizeForTest): shrunk so that its
  // longer side is at most max_side (never enlarged), then each side rounded to a multiple of
  // multiple_of (at least one multiple).
  int max_side = 0;
  int multiple_of = 1;
};

// Pads the transformed image on the right and the bottom to a fixed size, so every request has
// the same shape and batches with any other. `value` is written into the tensor as is (after
// scale, mean and std: PP-OCR pads its normalized lines with 0).
struct PadSpec {
  Size size;
  float value = 0;
};

struct ImageSpec {
  std::string input;  // the model input it feeds; empty = the model's only input
  ColorOrder color = ColorOrder::kRgb;
  bool exif_orientation = true;
  int64_t max_pixels = 40'000'000;
  int min_side = 1;  // a decoded image with a shorter side is refused (a 1 x 1 "text line")
  std::optional<ResizeSpec> resize;
  std::optional<Size> center_crop;
  std::optional<PadSpec> pad;  // after normalization, before the layout
  bool scale = true;           // FP32 only: divide by 255 (torchvision's ToTensor)
  std::vector<float> mean;     // empty, or one value per channel
  std::vector<float> std;      // empty, or one value per channel
  Layout layout = Layout::kNchw;
  core::DataType dtype = core::DataType::kFp32;  // kFp32 or kUint8
};

// What the output means: class scores (the top k classes come back), or per-time-step character
// probabilities of a text recogniser (the greedy CTC decoding comes back as text).
// or a text detector's probability map (DB post-processing: the boxes of the text lines).
enum class OutputDecode { kTopK, kCtc, kTextBoxes };

struct OutputSpec {
  std::string output;  // the model output holding the scores; empty = the model's only output
  bool softmax = true;
  int top_k = 5;
  OutputDecode decode = OutputDecode::kTopK;
  int ctc_blank = 0;            // the class index of the CTC blank
  bool ctc_space_last = false;  // one class after the alphabet's: a space (PP-OCR's)
  // Drop spaces read at the start and the end (the margins of a line image read as spaces).
  bool ctc_trim_spaces = false;
  TextBoxSpec text_boxes;  // "decode": "text_boxes"
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

// The decoded image's size, as RunImagePipeline saw it (for post-processing in its coordinates).
struct ImageGeometry {
  Size decoded;
};

// RunImagePipeline that also reports the decoded size.
StatusOr<core::Tensor> RunImagePipeline(std::string_view image_bytes, const ImageSpec& spec,
                                        PipelineTimings* timings, ImageGeometry* geometry);

struct Prediction {
  int64_t index = 0;
  float score = 0;
};

// Top-k (spec.top_k; <= 0 = all) of `scores`, after a numerically stable softmax when
// spec.softmax; highest first, ties by lower index.
std::vector<Prediction> TopK(const std::vector<float>& scores, const OutputSpec& spec);

}  // namespace inferd::preprocess
