// Uploaded image bytes (/predict, TorchServe image bodies, the classification extension): JPEG or
// PNG decoding with EXIF orientation, then the transform of two representative pipelines, an
// ImageNet-style one (RGB, shorter side with JPEG draft decoding, center crop, normalize, NCHW
// FP32) and a gray one (exact bicubic resize, NHWC UINT8). max_pixels is lowered so that no input
// can pass the decoder's bound and still exceed libFuzzer's memory limit.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "preprocess/decode.h"
#include "preprocess/pipeline.h"

namespace {

using inferd::preprocess::ImageSpec;

constexpr int64_t kMaxPixels = int64_t{1} << 18;

const ImageSpec& ImageNetSpec() {
  static const auto* spec = [] {
    auto* s = new ImageSpec();
    s->max_pixels = kMaxPixels;
    s->resize =
        inferd::preprocess::ResizeSpec{32, {}, inferd::preprocess::Interpolation::kBilinear};
    s->resize->jpeg_draft = true;
    s->center_crop = inferd::preprocess::Size{24, 24};
    s->mean = {0.485f, 0.456f, 0.406f};
    s->std = {0.229f, 0.224f, 0.225f};
    return s;
  }();
  return *spec;
}

const ImageSpec& GraySpec() {
  static const auto* spec = [] {
    auto* s = new ImageSpec();
    s->max_pixels = kMaxPixels;
    s->color = inferd::preprocess::ColorOrder::kGray;
    s->exif_orientation = false;
    s->resize =
        inferd::preprocess::ResizeSpec{0, {16, 12}, inferd::preprocess::Interpolation::kBicubic};
    s->layout = inferd::preprocess::Layout::kNhwc;
    s->dtype = inferd::core::DataType::kUint8;
    return s;
  }();
  return *spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)inferd::preprocess::RunImagePipeline(bytes, ImageNetSpec());
  inferd::preprocess::DecodeOptions options;
  options.max_pixels = kMaxPixels;
  options.gray = true;
  options.exif_orientation = false;
  if (const auto image = inferd::preprocess::DecodeImage(bytes, options); image.ok()) {
    (void)inferd::preprocess::TransformImage(*image, GraySpec());
  }
  return 0;
}
