// A decoded 8-bit image: interleaved (HWC) pixels, 1 (gray) or 3 (RGB) channels, rows packed
// without padding. A value type; not thread-safe to mutate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace inferd::preprocess {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;  // height * width * channels bytes

  Image() = default;
  Image(int w, int h, int c)
      : width(w), height(h), channels(c), pixels(static_cast<size_t>(w) * h * c) {}
  uint8_t* Row(int y) { return pixels.data() + static_cast<size_t>(y) * width * channels; }
  const uint8_t* Row(int y) const {
    return pixels.data() + static_cast<size_t>(y) * width * channels;
  }
};

}  // namespace inferd::preprocess
