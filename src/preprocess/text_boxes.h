// Text detection post-processing (DB, "Real-time Scene Text Detection with Differentiable
// Binarization", as PaddleOCR's DBPostProcess): a detector's per-pixel text probability map
// becomes one rotated box per text line; and the crop that turns such a box into an upright
// line image for a recogniser. Pure functions, thread-safe.
//
// Steps: probability > threshold -> 8-connected regions -> the minimum-area rectangle of each
// region (convex hull, rotating calipers) -> dropped when its shorter side is under min_size or
// its mean probability under box_threshold -> grown by unclip_ratio (each side moves out by
// area * ratio / perimeter, the polygon offset DB trains for) -> scaled from the map to the
// image -> corners ordered top-left, top-right, bottom-right, bottom-left -> boxes sorted top to
// bottom (left to right within 10 pixels of height).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/inference_response.h"
#include "preprocess/image.h"
#include "preprocess/resize.h"

namespace inferd::preprocess {

struct TextBoxSpec {
  float threshold = 0.3f;      // a pixel is text above this probability
  float box_threshold = 0.6f;  // a region is a line when its mean probability is at least this
  float unclip_ratio = 1.5f;
  int min_size = 3;      // pixels of the map: shorter rectangles are noise
  int max_boxes = 1000;  // regions beyond this many (largest first) are ignored
};

struct TextPoint {
  float x = 0;
  float y = 0;
};

struct TextBox {
  std::array<TextPoint, 4> points;  // top-left, top-right, bottom-right, bottom-left
  float score = 0;                  // mean text probability of the region
};

// The boxes of the `map` (map_size.width x map_size.height probabilities, row-major) in the
// coordinates of an image of `image` size the map was computed from (resized to map_size).
std::vector<TextBox> FindTextBoxes(std::span<const float> map, Size map_size, Size image,
                                   const TextBoxSpec& spec);

// The box's pixels of `image` as an upright line (its longer side horizontal; a box more than
// 1.5 times taller than wide is turned 90 degrees, as PaddleOCR's get_rotate_crop_image),
// bilinearly sampled. At least 1 x 1.
Image CropTextBox(const Image& image, const TextBox& box);

// `image` with `border` pixels added on every side, each a copy of the nearest edge pixel (numpy's
// pad mode "edge"): a tight line crop gets the background margin a recogniser reads best with.
Image PadEdges(const Image& image, int border);

// Puts a page's lines in reading order: rows top to bottom, each row left to right. A line
// belongs to the row of the line above it in the sort when its vertical centre is within half
// that row's first line's height of the row's first centre (so lines of one row whose tops differ,
// as a larger font's does, still read left to right). Stable for equal positions.
void SortReadingOrder(std::vector<core::TextLineBox>& lines);

}  // namespace inferd::preprocess
