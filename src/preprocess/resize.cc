#include "preprocess/resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace inferd::preprocess {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // PIL's PRECISION_BITS for 8-bit images

double BilinearFilter(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

double BicubicFilter(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

// Per output index: the first input index, the tap count, and `ksize` fixed-point weights.
struct Coefficients {
  int ksize = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<int32_t> weights;
};

// PIL's precompute_coeffs + normalize_coeffs_8bpc for the full box [0, in_size).
Coefficients Precompute(int in_size, int out_size, Interpolation interpolation) {
  const double filter_support = interpolation == Interpolation::kBicubic ? 2.0 : 1.0;
  auto filter = interpolation == Interpolation::kBicubic ? BicubicFilter : BilinearFilter;
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = filter_support * filter_scale;
  Coefficients c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(out_size);
  c.count.resize(out_size);
  c.weights.assign(static_cast<size_t>(out_size) * c.ksize, 0);
  std::vector<double> k(c.ksize);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const double ss = 1.0 / filter_scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax = std::min(static_cast<int>(center + support + 0.5), in_size) - xmin;
    double total = 0.0;
    for (int x = 0; x < xmax; ++x) {
      k[x] = filter((x + xmin - center + 0.5) * ss);
      total += k[x];
    }
    int32_t* w = &c.weights[static_cast<size_t>(xx) * c.ksize];
    for (int x = 0; x < xmax; ++x) {
      const double v = (total != 0.0 ? k[x] / total : k[x]) * (1 << kPrecisionBits);
      w[x] = static_cast<int32_t>(v < 0 ? v - 0.5 : v + 0.5);
    }
    c.first[xx] = xmin;
    c.count[xx] = xmax;
  }
  return c;
}

uint8_t Clip8(int32_t value) {
  if (value >= (1 << kPrecisionBits << 8)) return 255;
  if (value <= 0) return 0;
  return static_cast<uint8_t>(value >> kPrecisionBits);
}

// Rows [row0, row0 + out.height) of `in`, resampled horizontally into `out`. The channel count
// is a template parameter so the inner loops unroll (PIL does the same per image mode).
template <int kChannels>
void HorizontalN(const Image& in, int row0, const Coefficients& c, Image& out) {
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* src = in.Row(row0 + y);
    uint8_t* dst = out.Row(y);
    for (int xx = 0; xx < out.width; ++xx) {
      const int32_t* w = &c.weights[static_cast<size_t>(xx) * c.ksize];
      const uint8_t* s = src + static_cast<size_t>(c.first[xx]) * kChannels;
      const int count = c.count[xx];
      int32_t sum[kChannels];
      for (int ch = 0; ch < kChannels; ++ch) sum[ch] = 1 << (kPrecisionBits - 1);
      for (int x = 0; x < count; ++x) {
        for (int ch = 0; ch < kChannels; ++ch) sum[ch] += s[x * kChannels + ch] * w[x];
      }
      for (int ch = 0; ch < kChannels; ++ch) dst[xx * kChannels + ch] = Clip8(sum[ch]);
    }
  }
}

void Horizontal(const Image& in, int row0, const Coefficients& c, Image& out) {
  if (in.channels == 3) {
    HorizontalN<3>(in, row0, c, out);
  } else {
    HorizontalN<1>(in, row0, c, out);
  }
}

void Vertical(const Image& in, const Coefficients& c, int row_shift, Image& out) {
  const size_t row_bytes = static_cast<size_t>(in.width) * in.channels;
  std::vector<int32_t> sums(row_bytes);
  for (int yy = 0; yy < out.height; ++yy) {
    const int32_t* w = &c.weights[static_cast<size_t>(yy) * c.ksize];
    std::fill(sums.begin(), sums.end(), 1 << (kPrecisionBits - 1));
    for (int y = 0; y < c.count[yy]; ++y) {
      const uint8_t* src = in.Row(c.first[yy] - row_shift + y);
      const int32_t weight = w[y];
      for (size_t i = 0; i < row_bytes; ++i) sums[i] += src[i] * weight;
    }
    uint8_t* dst = out.Row(yy);
    for (size_t i = 0; i < row_bytes; ++i) dst[i] = Clip8(sums[i]);
  }
}

// Python's round(): half to even (the current rounding mode's default).
int RoundHalfEven(double value) { return static_cast<int>(std::nearbyint(value)); }

}  // namespace

Size ShorterSideSize(int width, int height, int shorter) {
  if (width <= height) {
    return {shorter, static_cast<int>(static_cast<int64_t>(shorter) * height / width)};
  }
  return {static_cast<int>(static_cast<int64_t>(shorter) * width / height), shorter};
}

Image Resize(const Image& image, Size size, Interpolation interpolation) {
  const bool horizontal = size.width != image.width;
  const bool vertical = size.height != image.height;
  if (!horizontal && !vertical) return image;
  const Coefficients cv = Precompute(image.height, size.height, interpolation);
  Image temp;
  const Image* current = &image;
  int row_shift = 0;
  if (horizontal) {
    // Only the rows the vertical pass reads.
    const int first = vertical ? cv.first.front() : 0;
    const int last = vertical ? cv.first.back() + cv.count.back() : image.height;
    const Coefficients ch = Precompute(image.width, size.width, interpolation);
    temp = Image(size.width, last - first, image.channels);
    Horizontal(image, first, ch, temp);
    current = &temp;
    row_shift = first;
  }
  if (!vertical) return temp;
  Image out(size.width, size.height, image.channels);
  Vertical(*current, cv, row_shift, out);
  return out;
}

Image CenterCrop(const Image& image, Size size) {
  // torchvision pads (zeros) to at least the crop size, left/top by floor((crop - side) / 2).
  const int left = image.width >= size.width ? RoundHalfEven((image.width - size.width) / 2.0)
                                             : -((size.width - image.width) / 2);
  const int top = image.height >= size.height ? RoundHalfEven((image.height - size.height) / 2.0)
                                              : -((size.height - image.height) / 2);
  Image out(size.width, size.height, image.channels);
  const int c = image.channels;
  for (int y = 0; y < size.height; ++y) {
    const int sy = y + top;
    if (sy < 0 || sy >= image.height) continue;
    const int x0 = std::max(0, -left);
    const int x1 = std::min(size.width, image.width - left);
    if (x1 <= x0) continue;
    std::memcpy(out.Row(y) + static_cast<size_t>(x0) * c,
                image.Row(sy) + static_cast<size_t>(x0 + left) * c,
                static_cast<size_t>(x1 - x0) * c);
  }
  return out;
}

}  // namespace inferd::preprocess
