// Geometric steps on 8-bit images, bit-exact with PIL (Pillow 9's Resample.c and torchvision's
// PIL code paths) so that serving sees the pixels training saw:
//  - Resize: PIL's separable two-pass convolution, horizontal then vertical, each pass rounded to
//    8 bits, 22-bit fixed-point weights. When shrinking, the filter support is scaled by the
//    reduction factor (PIL's antialiasing), which is what torchvision's Resize does on PIL images.
//  - CenterCrop: torchvision's offsets (round half to even), zero padding when the crop is larger.
// Pure functions, thread-safe.
#pragma once

#include "common/status.h"
#include "preprocess/image.h"

namespace inferd::preprocess {

enum class Interpolation { kBilinear, kBicubic };

struct Size {
  int width = 0;
  int height = 0;
};

// torchvision's Resize(size: int): the shorter side becomes `shorter`, the longer one is scaled
// and truncated (int(shorter * long / short)).
Size ShorterSideSize(int width, int height, int shorter);

Image Resize(const Image& image, Size size, Interpolation interpolation);

Image CenterCrop(const Image& image, Size size);

}  // namespace inferd::preprocess
