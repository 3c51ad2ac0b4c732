// Geometric steps on 8-bit images, bit-exact with PIL (Pillow 9's Resample.c and torchvision's
// PIL code paths) so that serving sees the pixels training saw:
//  - Resize: PIL's separable two-pass convolution, horizontal then vertical, each pass rounded to
//    8 bits, 22-bit fixed-point weights. When shrinking, the filter support is scaled by the
//    reduction factor (PIL's antialiasing), which is what torchvision's Resize does on PIL images.
//  - CenterCrop: torchvision's offsets (round half to even), zero padding when the crop is larger.
//  - ResizeWindow: one rectangle of Resize's output, computing only its pixels (a resize followed
//    by a center crop that fits, without the rows and columns the crop drops); bit-exact with
//    Resize then cropping, since every output pixel depends only on its own filter taps.
// Pure functions, thread-safe.
#pragma once

#include <optional>

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

// A rectangle in an image's pixel coordinates.
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

Image Resize(const Image& image, Size size, Interpolation interpolation);

// Pixels `window` (inside [0, size)) of Resize(image, size, interpolation).
Image ResizeWindow(const Image& image, Size size, Interpolation interpolation, Rect window);

Image CenterCrop(const Image& image, Size size);

// The rectangle CenterCrop(an image of `image` size, crop) cuts out, or nullopt when the crop
// is larger than the image in either dimension (CenterCrop then pads).
std::optional<Rect> CenterCropWindow(Size image, Size crop);

}  // namespace inferd::preprocess
