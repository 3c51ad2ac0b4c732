#include "preprocess/pipeline.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace inferd::preprocess {
namespace {

int64_t NanosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start)
      .count();
}

// Channel `c` of the output reads source channel kSource[c] (BGR swaps R and B).
int SourceChannel(ColorOrder color, int c) { return color == ColorOrder::kBgr ? 2 - c : c; }

// Writes the HWC uint8 `image` as FP32 in the spec's layout and channel order, applying
// ToTensor's 1/255 and Normalize's (x - mean) / std in float, as torchvision computes them. A
// channel has 256 possible inputs, so the arithmetic runs once per value into a table (the same
// float expression, hence the same bits) and the pass over the pixels is a lookup per element,
// channel order and layout done in the same pass.
void PackFp32(const Image& image, const ImageSpec& spec, float* out) {
  const int c_count = image.channels;
  const size_t plane = static_cast<size_t>(image.width) * image.height;
  const float scale = spec.scale ? 255.f : 1.f;
  std::vector<std::array<float, 256>> table(c_count);
  for (int c = 0; c < c_count; ++c) {
    const float mean = spec.mean.empty() ? 0.f : spec.mean[c];
    const float std = spec.std.empty() ? 1.f : spec.std[c];
    for (int v = 0; v < 256; ++v) table[c][v] = (static_cast<float>(v) / scale - mean) / std;
  }
  const uint8_t* src = image.pixels.data();
  if (c_count == 1) {
    for (size_t i = 0; i < plane; ++i) out[i] = table[0][src[i]];
    return;
  }
  if (c_count != 3) {
    const size_t step = spec.layout == Layout::kNchw ? 1 : static_cast<size_t>(c_count);
    for (int c = 0; c < c_count; ++c) {
      float* dst = spec.layout == Layout::kNchw ? out + c * plane : out + c;
      for (size_t i = 0; i < plane; ++i) dst[i * step] = table[c][src[i * c_count + c]];
    }
    return;
  }
  const int r = SourceChannel(spec.color, 0), b = SourceChannel(spec.color, 2);
  if (spec.layout == Layout::kNchw) {
    float* out0 = out;
    float* out1 = out + plane;
    float* out2 = out + 2 * plane;
    for (size_t i = 0; i < plane; ++i, src += 3) {
      out0[i] = table[0][src[r]];
      out1[i] = table[1][src[1]];
      out2[i] = table[2][src[b]];
    }
  } else {
    for (size_t i = 0; i < plane; ++i, src += 3, out += 3) {
      out[0] = table[0][src[r]];
      out[1] = table[1][src[1]];
      out[2] = table[2][src[b]];
    }
  }
}

void PackUint8(const Image& image, const ImageSpec& spec, uint8_t* out) {
  const int c_count = image.channels;
  const size_t plane = static_cast<size_t>(image.width) * image.height;
  if (spec.layout == Layout::kNhwc && spec.color != ColorOrder::kBgr) {
    std::memcpy(out, image.pixels.data(), image.pixels.size());
    return;
  }
  for (size_t i = 0; i < plane; ++i) {
    const uint8_t* px = image.pixels.data() + i * c_count;
    for (int c = 0; c < c_count; ++c) {
      const uint8_t value = px[SourceChannel(spec.color, c)];
      if (spec.layout == Layout::kNchw) {
        out[c * plane + i] = value;
      } else {
        out[i * c_count + c] = value;
      }
    }
  }
}

// The size the resize step produces, bounded by spec.max_pixels like the decoded image: a
// shorter-side resize of an extreme aspect ratio (a 1 x 1,000,000 PNG is a few hundred bytes)
// would otherwise make an image of gigapixels, and its long side would not fit an int. Computed
// in 64 bits before any narrowing.
StatusOr<Size> ResizedSize(const Image& image, const ImageSpec& spec) {
  const ResizeSpec& resize = *spec.resize;
  int64_t width = resize.exact.width, height = resize.exact.height;
  if (resize.max_side > 0) {
    if (image.width <= 0 || image.height <= 0) {
      return absl::InvalidArgumentError("invalid image: too narrow to resize");
    }
    const double longer = std::max(image.width, image.height);
    if (resize.max_aspect_ratio > 0 &&
        longer > resize.max_aspect_ratio * std::min(image.width, image.height)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid image: ", image.width, "x", image.height,
          " is too elongated for this model (longer / shorter side above its max_aspect_ratio of ",
          resize.max_aspect_ratio, ")"));
    }
    const double ratio = longer > resize.max_side ? resize.max_side / longer : 1.0;
    const auto fit = [&](int side) {
      const int64_t scaled = static_cast<int64_t>(side * ratio);
      const int64_t m = resize.multiple_of;
      return std::max<int64_t>(m, (scaled + m / 2) / m * m);
    };
    width = fit(image.width);
    height = fit(image.height);
  } else if (resize.max_width > 0) {
    if (resize.max_aspect_ratio > 0 &&
        image.width > resize.max_aspect_ratio * static_cast<double>(image.height)) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid image: ", image.width, "x", image.height,
                       " is too wide for this model (width / height above its max_aspect_ratio of ",
                       resize.max_aspect_ratio, "): send one text line at a time"));
    }
    // ceil(height * w / h), at most max_width, in 64 bits (both factors are below 2^32).
    const int64_t kept =
        (height * image.width + image.height - 1) / std::max<int64_t>(image.height, 1);
    width = std::clamp<int64_t>(kept, 1, resize.max_width);
  } else if (resize.shorter_side > 0) {
    if (image.width <= 0 || image.height <= 0) {
      return absl::InvalidArgumentError("invalid image: too narrow to resize");
    }
    const int64_t shorter = resize.shorter_side;
    const int64_t longer =
        shorter * std::max(image.width, image.height) / std::min(image.width, image.height);
    width = image.width <= image.height ? shorter : longer;
    height = image.width <= image.height ? longer : shorter;
  }
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError("invalid image: too narrow to resize");
  }
  // The model's own declared size (times 4 for aspect ratios up to 1:4) always fits, even when
  // max_pixels, a decode limit, is set below it.
  const int64_t declared = resize.shorter_side > 0
                               ? int64_t{resize.shorter_side} * resize.shorter_side
                               : int64_t{resize.exact.width} * resize.exact.height;
  const int64_t limit = std::max<int64_t>(spec.max_pixels, 4 * declared);
  if (width * height > limit) {
    return absl::InvalidArgumentError(absl::StrCat("invalid image: resizing its ", image.width, "x",
                                                   image.height, " pixels to ", width, "x", height,
                                                   " exceeds the limit of ", limit, " pixels"));
  }
  return Size{static_cast<int>(width), static_cast<int>(height)};
}

// Copies the packed w x h image (elements of `element` bytes, in `layout`) into the top-left of
// the pad.size canvas `out`, which already holds the pad value.
void CopyIntoPad(const std::byte* packed, const Size& from, int channels, size_t element,
                 const PadSpec& pad, Layout layout, std::byte* out) {
  const size_t w = static_cast<size_t>(from.width), h = static_cast<size_t>(from.height);
  const size_t pw = static_cast<size_t>(pad.size.width), ph = static_cast<size_t>(pad.size.height);
  const size_t c_count = static_cast<size_t>(channels);
  if (layout == Layout::kNchw) {
    for (size_t c = 0; c < c_count; ++c) {
      for (size_t y = 0; y < h; ++y) {
        std::memcpy(out + ((c * ph + y) * pw) * element, packed + ((c * h + y) * w) * element,
                    w * element);
      }
    }
    return;
  }
  for (size_t y = 0; y < h; ++y) {
    std::memcpy(out + (y * pw * c_count) * element, packed + (y * w * c_count) * element,
                w * c_count * element);
  }
}

// The packed image padded to spec.pad (right and bottom).
StatusOr<core::Tensor> PadTensor(const core::Tensor& packed, const Size& from, int channels,
                                 const ImageSpec& spec) {
  const PadSpec& pad = *spec.pad;
  if (from.width > pad.size.width || from.height > pad.size.height) {
    return absl::InvalidArgumentError(absl::StrCat("invalid image: ", from.width, "x", from.height,
                                                   " is larger than the ", pad.size.width, "x",
                                                   pad.size.height, " it is padded to"));
  }
  const int64_t h = pad.size.height, w = pad.size.width, c = channels;
  core::Shape shape = spec.layout == Layout::kNchw ? core::Shape{c, h, w} : core::Shape{h, w, c};
  const size_t elements = static_cast<size_t>(h * w * c);
  const bool fp32 = spec.dtype == core::DataType::kFp32;
  const size_t element = fp32 ? sizeof(float) : 1;
  core::OwnedTensor owned =
      core::MakeOwnedTensor(spec.input, spec.dtype, std::move(shape), elements * element);
  if (fp32) {
    std::fill_n(reinterpret_cast<float*>(owned.writable.data()), elements, pad.value);
  } else {
    std::fill_n(reinterpret_cast<uint8_t*>(owned.writable.data()), elements,
                static_cast<uint8_t>(pad.value));
  }
  CopyIntoPad(packed.data.data(), from, channels, element, pad, spec.layout, owned.writable.data());
  return std::move(owned.tensor);
}

}  // namespace

StatusOr<core::Tensor> TransformImage(const Image& decoded, const ImageSpec& spec) {
  if (std::min(decoded.width, decoded.height) < spec.min_side) {
    return absl::InvalidArgumentError(absl::StrCat("invalid image: ", decoded.width, "x",
                                                   decoded.height, " is smaller than the ",
                                                   spec.min_side, " pixels this model needs"));
  }
  const Image* image = &decoded;
  Image resized, cropped;
  std::optional<Rect> crop_window;
  if (spec.resize.has_value()) {
    ASSIGN_OR_RETURN(const Size size, ResizedSize(*image, spec));
    // A center crop inside the resized image: only its pixels are resized.
    if (spec.center_crop.has_value()) crop_window = CenterCropWindow(size, *spec.center_crop);
    resized = crop_window ? ResizeWindow(*image, size, spec.resize->interpolation, *crop_window)
                          : Resize(*image, size, spec.resize->interpolation);
    image = &resized;
  }
  if (spec.center_crop.has_value() && !crop_window) {
    // A crop no larger than the (already bounded) image it cuts from always fits.
    const int64_t limit = std::max<int64_t>(spec.max_pixels, int64_t{image->width} * image->height);
    if (int64_t{spec.center_crop->width} * spec.center_crop->height > limit) {
      return absl::InvalidArgumentError(absl::StrCat("center_crop ", spec.center_crop->width, "x",
                                                     spec.center_crop->height,
                                                     " exceeds the limit of ", limit, " pixels"));
    }
    cropped = CenterCrop(*image, *spec.center_crop);
    image = &cropped;
  }
  const int64_t h = image->height, w = image->width, c = image->channels;
  core::Shape shape = spec.layout == Layout::kNchw ? core::Shape{c, h, w} : core::Shape{h, w, c};
  const size_t elements = static_cast<size_t>(h * w * c);
  const bool fp32 = spec.dtype == core::DataType::kFp32;
  core::OwnedTensor owned = core::MakeOwnedTensor(spec.input, spec.dtype, std::move(shape),
                                                  elements * (fp32 ? sizeof(float) : 1));
  if (fp32) {
    PackFp32(*image, spec, reinterpret_cast<float*>(owned.writable.data()));
  } else {
    PackUint8(*image, spec, reinterpret_cast<uint8_t*>(owned.writable.data()));
  }
  if (spec.pad.has_value()) {
    return PadTensor(owned.tensor, {image->width, image->height}, image->channels, spec);
  }
  return std::move(owned.tensor);
}

StatusOr<core::Tensor> RunImagePipeline(std::string_view image_bytes, const ImageSpec& spec,
                                        PipelineTimings* timings) {
  return RunImagePipeline(image_bytes, spec, timings, nullptr);
}

StatusOr<core::Tensor> RunImagePipeline(std::string_view image_bytes, const ImageSpec& spec,
                                        PipelineTimings* timings, ImageGeometry* geometry) {
  const auto start = std::chrono::steady_clock::now();
  DecodeOptions options;
  options.max_pixels = spec.max_pixels;
  options.exif_orientation = spec.exif_orientation;
  options.gray = spec.color == ColorOrder::kGray;
  if (spec.resize.has_value() && spec.resize->jpeg_draft) {
    options.draft = {spec.resize->shorter_side, spec.resize->exact.width,
                     spec.resize->exact.height};
  }
  ASSIGN_OR_RETURN(const Image image, DecodeImage(image_bytes, options));
  if (geometry != nullptr) geometry->decoded = {image.width, image.height};
  const auto decoded = std::chrono::steady_clock::now();
  auto tensor = TransformImage(image, spec);
  if (timings != nullptr) {
    timings->decode_ns = NanosSince(start) - NanosSince(decoded);
    timings->transform_ns = NanosSince(decoded);
  }
  return tensor;
}

std::vector<Prediction> TopK(const std::vector<float>& scores, const OutputSpec& spec) {
  std::vector<float> values = scores;
  if (spec.softmax && !values.empty()) {
    const float max = *std::max_element(values.begin(), values.end());
    double total = 0;
    for (float& v : values) {
      v = std::exp(v - max);
      total += v;
    }
    for (float& v : values) v = static_cast<float>(v / total);
  }
  std::vector<int64_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k =
      spec.top_k <= 0 ? order.size() : std::min(order.size(), static_cast<size_t>(spec.top_k));
  // NaN ranks last, so the comparison stays a strict weak order.
  auto key = [&](int64_t i) { return std::isnan(values[i]) ? -INFINITY : values[i]; };
  std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int64_t a, int64_t b) {
    return key(a) > key(b) || (key(a) == key(b) && a < b);
  });
  std::vector<Prediction> out;
  out.reserve(k);
  for (size_t i = 0; i < k; ++i) out.push_back({order[i], values[order[i]]});
  return out;
}

}  // namespace inferd::preprocess
