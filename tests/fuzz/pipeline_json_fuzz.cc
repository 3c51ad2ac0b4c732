// pipeline.json, a model's image pipeline declaration: parse it, then run the declared transform
// on a small RGB image and a small gray one, and the declared top-k, CTC decoding or text boxes on
// fixed scores, as a load followed by a request would.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "preprocess/ctc.h"
#include "preprocess/pipeline.h"
#include "preprocess/text_boxes.h"

namespace {

inferd::preprocess::Image TestImage(int width, int height, int channels) {
  inferd::preprocess::Image image(width, height, channels);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i * 37);
  return image;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto spec = inferd::preprocess::ParsePipelineSpec(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!spec.ok()) return 0;
  // A declared upscale within max_pixels is legitimate and costs what it declares (a 35 M-pixel
  // resize took > 10 s under ASan): the bound keeps the run on the parser and the bound checks.
  constexpr int64_t kPixelBound = int64_t{1} << 16;
  spec->image.max_pixels = std::min<int64_t>(spec->image.max_pixels, kPixelBound);
  // The resize always admits the model's own declared size (a model declaring
  // "shorter_side": 6019 gets its 50 M-pixel resize, ~15 s under ASan): such a spec is parsed
  // and checked above, but not run.
  if (const auto& resize = spec->image.resize) {
    const int64_t declared = resize->shorter_side > 0
                                 ? int64_t{resize->shorter_side} * resize->shorter_side
                                 : int64_t{resize->exact.width} * resize->exact.height;
    if (declared > kPixelBound) return 0;
  }
  if (const auto& pad = spec->image.pad) {  // the same for a declared pad size
    if (int64_t{pad->size.width} * pad->size.height > kPixelBound) return 0;
  }
  static const auto* rgb = new inferd::preprocess::Image(TestImage(7, 5, 3));
  static const auto* gray = new inferd::preprocess::Image(TestImage(3, 9, 1));
  // The decoder yields gray images exactly when the spec asks for gray.
  const auto* image = spec->image.color == inferd::preprocess::ColorOrder::kGray ? gray : rgb;
  (void)inferd::preprocess::TransformImage(*image, spec->image);
  static const std::vector<float> scores = {
      0.5f, -3.f, 7.25f, 7.25f, 1e30f, -1e30f, std::numeric_limits<float>::quiet_NaN(), 0.f};
  (void)inferd::preprocess::TopK(scores, spec->output);
  // The declared decoding on fixed outputs: 2 time steps of 4 classes, a 4 x 2 probability map.
  if (spec->output.decode == inferd::preprocess::OutputDecode::kCtc) {
    static const inferd::preprocess::Labels alphabet = {"a", "b", "c"};
    (void)inferd::preprocess::CtcGreedyDecode(scores, 2, 4, alphabet, spec->output);
  } else if (spec->output.decode == inferd::preprocess::OutputDecode::kTextBoxes) {
    (void)inferd::preprocess::FindTextBoxes(scores, {4, 2}, {40, 20}, spec->output.text_boxes);
  }
  return 0;
}
