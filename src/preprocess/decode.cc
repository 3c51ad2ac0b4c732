#include "preprocess/decode.h"

#include <spng.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::preprocess {
namespace {

constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

Status Invalid(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("invalid image: ", std::string(what)));
}

Status CheckPixels(int64_t width, int64_t height, const DecodeOptions& options) {
  if (width <= 0 || height <= 0) return Invalid("zero width or height");
  if (width * height > options.max_pixels) {
    return Invalid(absl::StrCat(width, "x", height, " = ", width * height,
                                " pixels exceeds the limit of ", options.max_pixels));
  }
  return absl::OkStatus();
}

struct TjDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};

// TurboJPEG with its defaults: accurate integer IDCT and fancy upsampling, as PIL decodes.
StatusOr<Image> DecodeJpeg(std::string_view bytes, const DecodeOptions& options, int orientation) {
  std::unique_ptr<void, TjDeleter> tj(tjInitDecompress());
  if (tj == nullptr) return absl::InternalError("cannot create a JPEG decompressor");
  auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto size = static_cast<unsigned long>(bytes.size());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.get(), data, size, &width, &height, &subsampling, &colorspace) != 0) {
    return Invalid(absl::StrCat("JPEG header: ", tjGetErrorStr2(tj.get())));
  }
  RETURN_IF_ERROR(CheckPixels(width, height, options));
  if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
    return Invalid("CMYK JPEG images are not supported");
  }
  const int denominator = JpegDraftDenominator(width, height, orientation, options.draft);
  const tjscalingfactor factor{1, denominator};
  Image image(TJSCALED(width, factor), TJSCALED(height, factor), 3);
  if (tjDecompress2(tj.get(), data, size, image.pixels.data(), image.width, 0, image.height,
                    TJPF_RGB, 0) != 0) {
    // Warnings about recoverable oddities (extraneous bytes) are accepted, as PIL does; missing
    // data is not (PIL: "image file is truncated").
    const std::string error = tjGetErrorStr2(tj.get());
    if (tjGetErrorCode(tj.get()) == TJERR_FATAL ||
        error.find("Premature end") != std::string::npos) {
      return Invalid(absl::StrCat("JPEG data: ", error));
    }
  }
  return image;
}

struct SpngDeleter {
  void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};

Status SpngError(std::string_view what, int code) {
  return Invalid(absl::StrCat("PNG ", std::string(what), ": ", spng_strerror(code)));
}

StatusOr<Image> DecodePng(std::string_view bytes, const DecodeOptions& options, int* orientation) {
  std::unique_ptr<spng_ctx, SpngDeleter> ctx(spng_ctx_new(0));
  if (ctx == nullptr) return absl::InternalError("cannot create a PNG decoder");
  spng_set_chunk_limits(ctx.get(), 16u << 20, 64u << 20);
  if (int rc = spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()); rc != 0) {
    return SpngError("buffer", rc);
  }
  spng_ihdr ihdr{};
  if (int rc = spng_get_ihdr(ctx.get(), &ihdr); rc != 0) return SpngError("header", rc);
  RETURN_IF_ERROR(CheckPixels(ihdr.width, ihdr.height, options));
  size_t out_size = 0;
  if (int rc = spng_decoded_image_size(ctx.get(), SPNG_FMT_RGB8, &out_size); rc != 0) {
    return SpngError("format", rc);
  }
  Image image(static_cast<int>(ihdr.width), static_cast<int>(ihdr.height), 3);
  if (out_size != image.pixels.size()) return Invalid("PNG decoded size mismatch");
  if (int rc = spng_decode_image(ctx.get(), image.pixels.data(), out_size, SPNG_FMT_RGB8, 0);
      rc != 0) {
    return SpngError("data", rc);
  }
  spng_exif exif{};
  if (spng_get_exif(ctx.get(), &exif) == 0 && exif.data != nullptr) {
    *orientation = TiffExifOrientation(std::string_view(exif.data, exif.length));
  }
  return image;
}

uint32_t ReadUint(std::string_view data, size_t offset, int bytes, bool little_endian) {
  uint32_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    const uint32_t byte = static_cast<uint8_t>(data[offset + i]);
    value |= little_endian ? byte << (8 * i) : byte << (8 * (bytes - 1 - i));
  }
  return value;
}

}  // namespace

int JpegDraftDenominator(int width, int height, int orientation, const DraftTarget& draft) {
  if (width <= 0 || height <= 0) return 1;
  // The target in the stored orientation (EXIF 5..8 swap the axes).
  int64_t target_width = draft.width, target_height = draft.height;
  if (draft.shorter_side > 0) {
    // torchvision's Resize(int): shorter side to `shorter_side`, the longer one truncated.
    const int64_t shorter = draft.shorter_side;
    const int64_t longer = shorter * std::max(width, height) / std::min(width, height);
    target_width = width <= height ? shorter : longer;
    target_height = width <= height ? longer : shorter;
  } else if (orientation >= 5 && orientation <= 8) {
    std::swap(target_width, target_height);
  }
  if (target_width <= 0 || target_height <= 0) return 1;
  // PIL's draft: scale = min(width // target_width, height // target_height), then the largest
  // of 8, 4, 2 not above it.
  const int64_t scale = std::min(width / target_width, height / target_height);
  for (int denominator : {8, 4, 2}) {
    if (scale >= denominator) return denominator;
  }
  return 1;
}

ImageFormat DetectFormat(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xff\xd8\xff") return ImageFormat::kJpeg;
  if (bytes.substr(0, kPngSignature.size()) == kPngSignature) return ImageFormat::kPng;
  return ImageFormat::kUnknown;
}

int TiffExifOrientation(std::string_view tiff) {
  if (tiff.size() < 8) return 1;
  const bool le = tiff.substr(0, 2) == "II";
  if (!le && tiff.substr(0, 2) != "MM") return 1;
  const uint32_t ifd = ReadUint(tiff, 4, 4, le);
  if (ifd > tiff.size() || tiff.size() - ifd < 2) return 1;
  const uint32_t entries = ReadUint(tiff, ifd, 2, le);
  for (uint32_t i = 0; i < entries; ++i) {
    const size_t entry = ifd + 2 + size_t{12} * i;
    if (entry + 12 > tiff.size()) return 1;
    if (ReadUint(tiff, entry, 2, le) != 0x0112) continue;
    const uint32_t value = ReadUint(tiff, entry + 8, 2, le);  // SHORT, left-justified
    return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
  }
  return 1;
}

int JpegExifOrientation(std::string_view jpeg) {
  size_t pos = 2;  // after SOI
  while (pos + 4 <= jpeg.size() && static_cast<uint8_t>(jpeg[pos]) == 0xff) {
    const uint8_t marker = static_cast<uint8_t>(jpeg[pos + 1]);
    if (marker == 0xda || marker == 0xd9) break;  // start of scan / end of image
    const size_t length = ReadUint(jpeg, pos + 2, 2, /*little_endian=*/false);
    if (length < 2 || pos + 2 + length > jpeg.size()) break;
    const std::string_view payload = jpeg.substr(pos + 4, length - 2);
    if (marker == 0xe1 && payload.substr(0, 6) == std::string_view("Exif\0\0", 6)) {
      return TiffExifOrientation(payload.substr(6));
    }
    pos += 2 + length;
  }
  return 1;
}

Image ApplyOrientation(const Image& image, int orientation) {
  if (orientation < 2 || orientation > 8) return image;
  const int w = image.width, h = image.height, c = image.channels;
  const bool swap = orientation >= 5;
  Image out(swap ? h : w, swap ? w : h, c);
  for (int y = 0; y < out.height; ++y) {
    uint8_t* dst = out.Row(y);
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          break;
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:
          sy = h - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        case 8:
          sx = w - 1 - y;
          sy = x;
          break;
      }
      std::memcpy(dst + static_cast<size_t>(x) * c, image.Row(sy) + static_cast<size_t>(sx) * c, c);
    }
  }
  return out;
}

Image RgbToGray(const Image& rgb) {
  Image gray(rgb.width, rgb.height, 1);
  const size_t n = static_cast<size_t>(rgb.width) * rgb.height;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = rgb.pixels.data() + 3 * i;
    gray.pixels[i] =
        static_cast<uint8_t>((p[0] * 19595 + p[1] * 38470 + p[2] * 7471 + 0x8000) >> 16);
  }
  return gray;
}

StatusOr<Image> DecodeImage(std::string_view bytes, const DecodeOptions& options) {
  if (bytes.empty()) return Invalid("the image is empty (0 bytes)");
  int orientation = 1;
  StatusOr<Image> image;
  switch (DetectFormat(bytes)) {
    case ImageFormat::kJpeg:
      orientation = JpegExifOrientation(bytes);
      image = DecodeJpeg(bytes, options, orientation);
      break;
    case ImageFormat::kPng:
      image = DecodePng(bytes, options, &orientation);
      break;
    case ImageFormat::kUnknown:
      return Invalid("unsupported format (only JPEG and PNG are accepted)");
  }
  if (!image.ok()) return image.status();
  if (options.exif_orientation && orientation != 1) *image = ApplyOrientation(*image, orientation);
  if (options.gray) *image = RgbToGray(*image);
  return image;
}

}  // namespace inferd::preprocess
