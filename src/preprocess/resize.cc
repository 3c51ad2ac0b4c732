#include "preprocess/resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

// x86-64 builds with GCC carry an AVX2 copy of the vertical pass's two loops beside the baseline
// one, chosen at load time (glibc ifunc): the loops are written for the auto-vectoriser, and
// AVX2's 32-bit multiply doubles their throughput over SSE2. The integer arithmetic, hence every
// output byte, is the same in both copies. Sanitizer and clang builds keep the baseline copy only:
// an ifunc resolver runs during relocation, before a sanitizer's runtime is up, and crashes under
// ThreadSanitizer. The tsan preset undefines __SANITIZE_THREAD__ (for abseil's headers), so it
// says INFERD_NO_IFUNC instead.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && !defined(INFERD_NO_IFUNC)
#define INFERD_RESIZE_TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define INFERD_RESIZE_TARGET_CLONES
#endif

// The horizontal pass of RGB images has its own AVX2 code (intrinsics), chosen at run time.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define INFERD_RESIZE_X86 1
#else
#define INFERD_RESIZE_X86 0
#endif

// Per output index of a window: the first input index and `taps` fixed-point weights. Every
// output reads exactly `taps` inputs (PIL's per-index tap count, padded with zero weights and
// the start moved left at the far edge), so the inner loops have one trip count; a zero weight
// adds 0 to the sum, so the result is PIL's.
struct Coefficients {
  int taps = 0;
  std::vector<int> first;
  std::vector<int32_t> weights;
};

// PIL's precompute_coeffs + normalize_coeffs_8bpc for the full box [0, in_size), for outputs
// [out_first, out_first + out_count).
Coefficients Precompute(int in_size, int out_size, Interpolation interpolation, int out_first,
                        int out_count) {
  const double filter_support = interpolation == Interpolation::kBicubic ? 2.0 : 1.0;
  auto filter = interpolation == Interpolation::kBicubic ? BicubicFilter : BilinearFilter;
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = filter_support * filter_scale;
  const int ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  Coefficients c;
  c.taps = std::min(ksize, in_size);
  c.first.resize(out_count);
  c.weights.assign(static_cast<size_t>(out_count) * c.taps, 0);
  std::vector<double> k(ksize);
  for (int i = 0; i < out_count; ++i) {
    const int xx = out_first + i;
    const double center = (xx + 0.5) * scale;
    const double ss = 1.0 / filter_scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax = std::min(static_cast<int>(center + support + 0.5), in_size) - xmin;
    double total = 0.0;
    for (int x = 0; x < xmax; ++x) {
      k[x] = filter((x + xmin - center + 0.5) * ss);
      total += k[x];
    }
    const int first = std::min(xmin, in_size - c.taps);
    int32_t* w = &c.weights[static_cast<size_t>(i) * c.taps] + (xmin - first);
    for (int x = 0; x < xmax; ++x) {
      const double v = (total != 0.0 ? k[x] / total : k[x]) * (1 << kPrecisionBits);
      w[x] = static_cast<int32_t>(v < 0 ? v - 0.5 : v + 0.5);
    }
    c.first[i] = first;
  }
  return c;
}

// PIL's clip8: the rounded sum's integer part, saturated to [0, 255].
inline uint8_t Clip8(int32_t value) {
  const int32_t v = value >> kPrecisionBits;
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// One output pixel of the horizontal pass from its `taps` inputs at `s`.
template <int kChannels>
inline void HorizontalPixel(const uint8_t* s, const int32_t* w, int taps, uint8_t* dst) {
  int32_t sum[kChannels];
  for (int ch = 0; ch < kChannels; ++ch) sum[ch] = 1 << (kPrecisionBits - 1);
  for (int x = 0; x < taps; ++x) {
    const int32_t weight = w[x];
    for (int ch = 0; ch < kChannels; ++ch) sum[ch] += s[x * kChannels + ch] * weight;
  }
  for (int ch = 0; ch < kChannels; ++ch) dst[ch] = Clip8(sum[ch]);
}

// One row resampled horizontally, portable code. The tap count is a template parameter (0 = the
// runtime `c.taps`) so the inner loops unroll for the common filters (PIL specialises per image
// mode the same way). Locals, not c's members, in the loop: a byte store may alias anything, so
// the compiler would reload the vectors' data pointers after every output byte.
template <int kChannels, int kTaps>
void HorizontalRow(const uint8_t* src, int /*in_width*/, const Coefficients& c, int out_width,
                   uint8_t* dst) {
  const int taps = kTaps > 0 ? kTaps : c.taps;
  const int* first = c.first.data();
  const int32_t* w = c.weights.data();
  for (int xx = 0; xx < out_width; ++xx, w += taps, dst += kChannels) {
    HorizontalPixel<kChannels>(src + static_cast<size_t>(first[xx]) * kChannels, w, taps, dst);
  }
}

#if INFERD_RESIZE_X86
// The same for RGB with AVX2 (VEX-encoded 128-bit integer ops): a pixel's three sums in one
// register, the fourth lane carrying the next pixel's red and dropped. Its 4-byte load reads one
// byte past the last tap and its 4-byte store writes the next output pixel's first byte (written
// again right after), so the outputs where either would leave the row (last tap on the row's
// last pixel; the row's last output) take the portable path. Same integer arithmetic, same bytes;
// packs saturate as PIL's clip8.
template <int kTaps>
__attribute__((target("avx2"))) void HorizontalRgbRowAvx2(const uint8_t* src, int in_width,
                                                          const Coefficients& c, int out_width,
                                                          uint8_t* dst) {
  const int taps = kTaps > 0 ? kTaps : c.taps;
  const int* first = c.first.data();
  const int32_t* w = c.weights.data();
  const __m128i half = _mm_set1_epi32(1 << (kPrecisionBits - 1));
  for (int xx = 0; xx < out_width; ++xx, w += taps, dst += 3) {
    const uint8_t* s = src + static_cast<size_t>(first[xx]) * 3;
    if (first[xx] + taps >= in_width || xx + 1 == out_width) {
      HorizontalPixel<3>(s, w, taps, dst);
      continue;
    }
    __m128i sum = half;
    for (int x = 0; x < taps; ++x) {
      int32_t bytes;
      std::memcpy(&bytes, s + 3 * x, sizeof(bytes));
      const __m128i pixel = _mm_cvtepu8_epi32(_mm_cvtsi32_si128(bytes));
      sum = _mm_add_epi32(sum, _mm_mullo_epi32(pixel, _mm_set1_epi32(w[x])));
    }
    const __m128i shifted = _mm_srai_epi32(sum, kPrecisionBits);
    const __m128i packed = _mm_packus_epi16(_mm_packs_epi32(shifted, shifted), shifted);
    const int32_t out = _mm_cvtsi128_si32(packed);
    std::memcpy(dst, &out, sizeof(out));
  }
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

using RowFunction = void (*)(const uint8_t*, int, const Coefficients&, int, uint8_t*);

template <int kChannels>
RowFunction PickHorizontalRow(int taps) {
#if INFERD_RESIZE_X86
  if (kChannels == 3 && HasAvx2()) {
    if (taps == 3) return &HorizontalRgbRowAvx2<3>;
    if (taps == 5) return &HorizontalRgbRowAvx2<5>;
    if (taps == 7) return &HorizontalRgbRowAvx2<7>;
    return &HorizontalRgbRowAvx2<0>;
  }
#endif
  if (taps == 3) return &HorizontalRow<kChannels, 3>;
  if (taps == 5) return &HorizontalRow<kChannels, 5>;
  if (taps == 7) return &HorizontalRow<kChannels, 7>;
  return &HorizontalRow<kChannels, 0>;
}

template <int kChannels>
void HorizontalRows(const Image& in, int row0, const Coefficients& c, Image& out) {
  const RowFunction row = PickHorizontalRow<kChannels>(c.taps);
  for (int y = 0; y < out.height; ++y) row(in.Row(row0 + y), in.width, c, out.width, out.Row(y));
}

// Rows [row0, row0 + out.height) of `in`, resampled horizontally into `out`.
void Horizontal(const Image& in, int row0, const Coefficients& c, Image& out) {
  if (in.channels == 3) {
    HorizontalRows<3>(in, row0, c, out);
  } else {
    HorizontalRows<1>(in, row0, c, out);
  }
}

// `sums` += `weight` * `src`, n values: the vertical pass, one tap at a time over a whole row.
INFERD_RESIZE_TARGET_CLONES void AccumulateRow(const uint8_t* src, int32_t weight, size_t n,
                                               int32_t* sums) {
  for (size_t i = 0; i < n; ++i) sums[i] += src[i] * weight;
}

INFERD_RESIZE_TARGET_CLONES void ClipRow(const int32_t* sums, size_t n, uint8_t* dst) {
  for (size_t i = 0; i < n; ++i) dst[i] = Clip8(sums[i]);
}

// Every output row, from input rows in.Row(r - row_shift) of the same width.
void Vertical(const Image& in, const Coefficients& c, int row_shift, Image& out) {
  const size_t row_bytes = static_cast<size_t>(out.width) * out.channels;
  std::vector<int32_t> sums(row_bytes);
  const int32_t* w = c.weights.data();
  for (int yy = 0; yy < out.height; ++yy, w += c.taps) {
    std::fill(sums.begin(), sums.end(), 1 << (kPrecisionBits - 1));
    for (int y = 0; y < c.taps; ++y) {
      AccumulateRow(in.Row(c.first[yy] - row_shift + y), w[y], row_bytes, sums.data());
    }
    ClipRow(sums.data(), row_bytes, out.Row(yy));
  }
}

// Rows [row0, row0 + out.height), columns [col0, col0 + out.width) of `in`.
void CopyRect(const Image& in, int col0, int row0, Image& out) {
  const size_t row_bytes = static_cast<size_t>(out.width) * out.channels;
  for (int y = 0; y < out.height; ++y) {
    std::memcpy(out.Row(y), in.Row(row0 + y) + static_cast<size_t>(col0) * in.channels, row_bytes);
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
  if (size.width == image.width && size.height == image.height) return image;
  return ResizeWindow(image, size, interpolation, Rect{0, 0, size.width, size.height});
}

Image ResizeWindow(const Image& image, Size size, Interpolation interpolation, Rect window) {
  if (window.width <= 0 || window.height <= 0) return Image(0, 0, image.channels);
  const bool horizontal = size.width != image.width;
  const bool vertical = size.height != image.height;
  // Only the rows the vertical pass reads go through the horizontal one (PIL does the same).
  Coefficients cv;
  int first_row = window.y, last_row = window.y + window.height;
  if (vertical) {
    cv = Precompute(image.height, size.height, interpolation, window.y, window.height);
    first_row = cv.first.front();
    last_row = cv.first.back() + cv.taps;
  }
  Image temp(window.width, last_row - first_row, image.channels);
  if (horizontal) {
    const Coefficients ch =
        Precompute(image.width, size.width, interpolation, window.x, window.width);
    Horizontal(image, first_row, ch, temp);
  } else {
    CopyRect(image, window.x, first_row, temp);
  }
  if (!vertical) return temp;
  Image out(window.width, window.height, image.channels);
  Vertical(temp, cv, first_row, out);
  return out;
}

std::optional<Rect> CenterCropWindow(Size image, Size crop) {
  if (crop.width > image.width || crop.height > image.height) return std::nullopt;
  return Rect{RoundHalfEven((image.width - crop.width) / 2.0),
              RoundHalfEven((image.height - crop.height) / 2.0), crop.width, crop.height};
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
