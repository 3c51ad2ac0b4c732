// Decoding of JPEG (libjpeg-turbo's TurboJPEG API) and PNG (libspng) bytes into an 8-bit RGB or
// gray Image, with the EXIF orientation applied on request. The format is recognised by its
// signature, not by a file name or content type. Every failure is InvalidArgument (a client's bad
// image is a 400): unknown format, zero-size, truncated or corrupt data, and images whose decoded
// pixel count exceeds `max_pixels` (checked from the header, before any pixel is decoded, so a
// decompression bomb costs nothing). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "preprocess/image.h"

namespace inferd::preprocess {

// JPEG only: the size the caller resizes the decoded (EXIF-oriented) image to next. The JPEG is
// then decoded at the smallest DCT scale of 1/2, 1/4 or 1/8 whose result is still at least that
// size in both dimensions (PIL's Image.draft rule, docs/adr/0016): the IDCT does most of the
// reduction for a fraction of the cost of a full decode and a wider resize filter. Not an exact
// resize: pixels differ slightly from full decode + resize.
struct DraftTarget {
  int shorter_side = 0;  // > 0: torchvision's Resize(int) target; else width x height
  int width = 0;
  int height = 0;
};

struct DecodeOptions {
  int64_t max_pixels = 40'000'000;  // width * height of the image (checked at full size)
  bool exif_orientation = true;     // apply the EXIF Orientation tag (as PIL's exif_transpose)
  bool gray = false;                // decode to 1 channel (PIL's convert("L")) instead of RGB
  DraftTarget draft;                // all zero: decode at full size
};

// The DCT scale denominator (1, 2, 4 or 8) DecodeImage uses for a JPEG of `width` x `height`
// (as stored) with EXIF `orientation` under `draft`. Exposed for tests.
int JpegDraftDenominator(int width, int height, int orientation, const DraftTarget& draft);

enum class ImageFormat { kUnknown, kJpeg, kPng };

ImageFormat DetectFormat(std::string_view bytes);

StatusOr<Image> DecodeImage(std::string_view bytes, const DecodeOptions& options = {});

// The EXIF Orientation (1..8) found in a JPEG APP1 segment or a raw TIFF-structured EXIF block
// (PNG's eXIf chunk); 1 when absent or unreadable. Exposed for tests.
int JpegExifOrientation(std::string_view jpeg);
int TiffExifOrientation(std::string_view tiff);

// Returns `image` transformed as EXIF `orientation` says (2..8; 1 and others: unchanged).
Image ApplyOrientation(const Image& image, int orientation);

// PIL's RGB -> L conversion (ITU-R 601-2 luma, PIL's fixed-point rounding).
Image RgbToGray(const Image& rgb);

}  // namespace inferd::preprocess
