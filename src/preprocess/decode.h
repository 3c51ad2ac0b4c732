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

struct DecodeOptions {
  int64_t max_pixels = 40'000'000;  // width * height after decoding
  bool exif_orientation = true;     // apply the EXIF Orientation tag (as PIL's exif_transpose)
  bool gray = false;                // decode to 1 channel (PIL's convert("L")) instead of RGB
};

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
