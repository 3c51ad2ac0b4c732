// pipeline.json, a model's image pipeline declaration: parse it, then run the declared transform
// on a small RGB image and a small gray one, and the declared top-k on fixed scores, as a load
// followed by a request would.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "preprocess/pipeline.h"

namespace {

inferd::preprocess::Image TestImage(int width, int height, int channels) {
  inferd::preprocess::Image image(width, height, channels);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i * 37);
  return image;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto spec = inferd::preprocess::ParsePipelineSpec(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!spec.ok()) return 0;
  static const auto* rgb = new inferd::preprocess::Image(TestImage(7, 5, 3));
  static const auto* gray = new inferd::preprocess::Image(TestImage(3, 9, 1));
  // The decoder yields gray images exactly when the spec asks for gray.
  const auto* image = spec->image.color == inferd::preprocess::ColorOrder::kGray ? gray : rgb;
  (void)inferd::preprocess::TransformImage(*image, spec->image);
  static const std::vector<float> scores = {
      0.5f, -3.f, 7.25f, 7.25f, 1e30f, -1e30f, std::numeric_limits<float>::quiet_NaN(), 0.f};
  (void)inferd::preprocess::TopK(scores, spec->output);
  return 0;
}
