#include "preprocess/text_boxes.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace inferd::preprocess {
namespace {

// One 8-connected region of the binarized map: the leftmost and rightmost pixel of each of its
// rows (enough for the convex hull) and the sum of its probabilities.
struct TextRegion {
  std::vector<TextPoint> extremes;
  double probability_sum = 0;
  int64_t pixels = 0;
};

std::vector<TextRegion> LabelTextRegions(std::span<const float> map, Size size, float threshold) {
  const int w = size.width, h = size.height;
  std::vector<uint8_t> seen(static_cast<size_t>(w) * h, 0);
  std::vector<TextRegion> regions;
  std::vector<int64_t> stack;
  // The x range of each row of the region being labelled; only its rows are reset afterwards, so
  // a map of many small regions costs their pixels, not their count times the map's height.
  std::vector<std::pair<int, int>> rows(static_cast<size_t>(h), {w, -1});
  for (int64_t start = 0; start < int64_t{w} * h; ++start) {
    if (seen[start] || !(map[start] > threshold)) continue;
    TextRegion region;
    int top = h, bottom = -1;
    seen[start] = 1;
    stack.push_back(start);
    while (!stack.empty()) {
      const int64_t at = stack.back();
      stack.pop_back();
      const int x = static_cast<int>(at % w), y = static_cast<int>(at / w);
      region.probability_sum += map[at];
      ++region.pixels;
      rows[y] = {std::min(rows[y].first, x), std::max(rows[y].second, x)};
      top = std::min(top, y);
      bottom = std::max(bottom, y);
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const int64_t next = int64_t{ny} * w + nx;
          if (seen[next] || !(map[next] > threshold)) continue;
          seen[next] = 1;
          stack.push_back(next);
        }
      }
    }
    for (int y = top; y <= bottom; ++y) {
      if (rows[y].second < 0) continue;
      region.extremes.push_back({static_cast<float>(rows[y].first), static_cast<float>(y)});
      if (rows[y].second != rows[y].first) {
        region.extremes.push_back({static_cast<float>(rows[y].second), static_cast<float>(y)});
      }
      rows[y] = {w, -1};
    }
    regions.push_back(std::move(region));
  }
  return regions;
}

double Cross(const TextPoint& o, const TextPoint& a, const TextPoint& b) {
  return (double{a.x} - o.x) * (double{b.y} - o.y) - (double{a.y} - o.y) * (double{b.x} - o.x);
}

// Andrew's monotone chain; counter-clockwise, no repeated first point.
std::vector<TextPoint> ConvexHullOf(std::vector<TextPoint> points) {
  std::sort(points.begin(), points.end(), [](const TextPoint& a, const TextPoint& b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
  });
  if (points.size() < 3) return points;
  std::vector<TextPoint> hull(2 * points.size());
  size_t k = 0;
  for (const auto& p : points) {
    while (k >= 2 && Cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  for (size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);
  return hull;
}

// A rotated rectangle: centre, unit axis along `width`, and side lengths.
struct RotatedRect {
  double cx = 0, cy = 0, ux = 1, uy = 0, width = 0, height = 0;
};

// Rotating calipers: the minimum-area rectangle has a side on a hull edge.
RotatedRect MinAreaRectOf(const std::vector<TextPoint>& hull) {
  RotatedRect best;
  if (hull.empty()) return best;
  best.cx = hull[0].x;
  best.cy = hull[0].y;
  double best_area = INFINITY;
  for (size_t i = 0; i < hull.size(); ++i) {
    const TextPoint& a = hull[i];
    const TextPoint& b = hull[(i + 1) % hull.size()];
    const double length = std::hypot(double{b.x} - a.x, double{b.y} - a.y);
    if (length == 0) continue;
    const double ux = (b.x - a.x) / length, uy = (b.y - a.y) / length;
    double min_u = INFINITY, max_u = -INFINITY, min_v = INFINITY, max_v = -INFINITY;
    for (const auto& p : hull) {
      const double u = p.x * ux + p.y * uy, v = -p.x * uy + p.y * ux;
      min_u = std::min(min_u, u);
      max_u = std::max(max_u, u);
      min_v = std::min(min_v, v);
      max_v = std::max(max_v, v);
    }
    const double area = (max_u - min_u) * (max_v - min_v);
    if (area < best_area) {
      best_area = area;
      const double mu = (min_u + max_u) / 2, mv = (min_v + max_v) / 2;
      best = {mu * ux - mv * uy, mu * uy + mv * ux, ux, uy, max_u - min_u, max_v - min_v};
    }
  }
  return best;
}

std::array<TextPoint, 4> OrderedCorners(const RotatedRect& r, double sx, double sy, Size image) {
  std::array<TextPoint, 4> corners;
  const double hw = r.width / 2, hh = r.height / 2;
  const double vx = -r.uy, vy = r.ux;
  int i = 0;
  for (const auto& [a, b] : {std::pair{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
    const double x = (r.cx + a * hw * r.ux + b * hh * vx) * sx;
    const double y = (r.cy + a * hw * r.uy + b * hh * vy) * sy;
    corners[i++] = {static_cast<float>(std::clamp(x, 0.0, static_cast<double>(image.width))),
                    static_cast<float>(std::clamp(y, 0.0, static_cast<double>(image.height)))};
  }
  // PaddleOCR's get_mini_boxes: by x; of the two leftmost the upper is top-left, of the two
  // rightmost the upper is top-right.
  std::sort(corners.begin(), corners.end(),
            [](const TextPoint& a, const TextPoint& b) { return a.x < b.x; });
  const auto [tl, bl] = corners[0].y <= corners[1].y ? std::pair{corners[0], corners[1]}
                                                     : std::pair{corners[1], corners[0]};
  const auto [tr, br] = corners[2].y <= corners[3].y ? std::pair{corners[2], corners[3]}
                                                     : std::pair{corners[3], corners[2]};
  return {tl, tr, br, bl};
}

double Distance(const TextPoint& a, const TextPoint& b) {
  return std::hypot(double{a.x} - b.x, double{a.y} - b.y);
}

}  // namespace

std::vector<TextBox> FindTextBoxes(std::span<const float> map, Size map_size, Size image,
                                   const TextBoxSpec& spec) {
  std::vector<TextBox> boxes;
  if (map_size.width <= 0 || map_size.height <= 0 ||
      map.size() < static_cast<size_t>(map_size.width) * map_size.height) {
    return boxes;
  }
  std::vector<TextRegion> regions = LabelTextRegions(map, map_size, spec.threshold);
  if (regions.size() > static_cast<size_t>(std::max(spec.max_boxes, 0))) {
    std::partial_sort(regions.begin(), regions.begin() + spec.max_boxes, regions.end(),
                      [](const TextRegion& a, const TextRegion& b) { return a.pixels > b.pixels; });
    regions.resize(spec.max_boxes);
  }
  const double sx = static_cast<double>(image.width) / map_size.width;
  const double sy = static_cast<double>(image.height) / map_size.height;
  for (const TextRegion& region : regions) {
    RotatedRect rect = MinAreaRectOf(ConvexHullOf(region.extremes));
    if (std::min(rect.width, rect.height) < spec.min_size) continue;
    const double score = region.probability_sum / static_cast<double>(region.pixels);
    if (score < spec.box_threshold) continue;
    const double grow =
        rect.width * rect.height * spec.unclip_ratio / (2 * (rect.width + rect.height));
    rect.width += 2 * grow;
    rect.height += 2 * grow;
    if (std::min(rect.width, rect.height) < spec.min_size + 2) continue;
    boxes.push_back({OrderedCorners(rect, sx, sy, image), static_cast<float>(score)});
  }
  std::sort(boxes.begin(), boxes.end(), [](const TextBox& a, const TextBox& b) {
    return a.points[0].y < b.points[0].y ||
           (a.points[0].y == b.points[0].y && a.points[0].x < b.points[0].x);
  });
  // Boxes of one line whose tops differ by a few pixels read left to right (PaddleOCR's
  // sorted_boxes).
  for (size_t i = 0; i + 1 < boxes.size(); ++i) {
    for (size_t j = i + 1; j > 0; --j) {
      const TextPoint& a = boxes[j - 1].points[0];
      const TextPoint& b = boxes[j].points[0];
      if (std::abs(b.y - a.y) < 10 && b.x < a.x) {
        std::swap(boxes[j - 1], boxes[j]);
      } else {
        break;
      }
    }
  }
  return boxes;
}

Image CropTextBox(const Image& image, const TextBox& box) {
  const auto& p = box.points;
  const int w = std::max(1, static_cast<int>(std::max(Distance(p[0], p[1]), Distance(p[3], p[2]))));
  const int h = std::max(1, static_cast<int>(std::max(Distance(p[0], p[3]), Distance(p[1], p[2]))));
  Image out(w, h, image.channels);
  if (image.width <= 0 || image.height <= 0) return out;
  // Maps the output pixel centre (u, v) to the image: p0 + u * (p1 - p0) / w + v * (p3 - p0) / h.
  const double ax = (double{p[1].x} - p[0].x) / w, ay = (double{p[1].y} - p[0].y) / w;
  const double bx = (double{p[3].x} - p[0].x) / h, by = (double{p[3].y} - p[0].y) / h;
  for (int v = 0; v < h; ++v) {
    for (int u = 0; u < w; ++u) {
      const double x = std::clamp(p[0].x + (u + 0.5) * ax + (v + 0.5) * bx - 0.5, 0.0,
                                  static_cast<double>(image.width) - 1);
      const double y = std::clamp(p[0].y + (u + 0.5) * ay + (v + 0.5) * by - 0.5, 0.0,
                                  static_cast<double>(image.height) - 1);
      const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
      const int x1 = std::min(x0 + 1, image.width - 1), y1 = std::min(y0 + 1, image.height - 1);
      const double fx = x - x0, fy = y - y0;
      for (int c = 0; c < image.channels; ++c) {
        const double top = image.Row(y0)[x0 * image.channels + c] * (1 - fx) +
                           image.Row(y0)[x1 * image.channels + c] * fx;
        const double bottom = image.Row(y1)[x0 * image.channels + c] * (1 - fx) +
                              image.Row(y1)[x1 * image.channels + c] * fx;
        out.Row(v)[u * image.channels + c] =
            static_cast<uint8_t>(std::lround(top * (1 - fy) + bottom * fy));
      }
    }
  }
  if (h < 1.5 * w) return out;
  // A tall box is a vertical line: turn it counter-clockwise (numpy's rot90).
  Image turned(h, w, image.channels);
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < h; ++x) {
      std::copy_n(out.Row(x) + (w - 1 - y) * image.channels, image.channels,
                  turned.Row(y) + x * image.channels);
    }
  }
  return turned;
}

Image PadEdges(const Image& image, int border) {
  if (border <= 0 || image.width <= 0 || image.height <= 0) return image;
  Image out(image.width + 2 * border, image.height + 2 * border, image.channels);
  const int c = image.channels;
  for (int y = 0; y < out.height; ++y) {
    const uint8_t* src = image.Row(std::clamp(y - border, 0, image.height - 1));
    uint8_t* dst = out.Row(y);
    for (int x = 0; x < border; ++x) std::copy_n(src, c, dst + x * c);
    std::copy_n(src, static_cast<size_t>(image.width) * c, dst + static_cast<size_t>(border) * c);
    const uint8_t* last = src + static_cast<size_t>(image.width - 1) * c;
    for (int x = border + image.width; x < out.width; ++x) std::copy_n(last, c, dst + x * c);
  }
  return out;
}

void SortReadingOrder(std::vector<core::TextLineBox>& lines) {
  struct Extent {
    float top, bottom, left;
  };
  auto extent = [](const core::TextLineBox& line) {
    Extent e{line.points[0][1], line.points[0][1], line.points[0][0]};
    for (const auto& point : line.points) {
      e.top = std::min(e.top, point[1]);
      e.bottom = std::max(e.bottom, point[1]);
      e.left = std::min(e.left, point[0]);
    }
    return e;
  };
  auto centre = [&](const core::TextLineBox& line) {
    const Extent e = extent(line);
    return (e.top + e.bottom) / 2;
  };
  std::stable_sort(lines.begin(), lines.end(),
                   [&](const auto& a, const auto& b) { return centre(a) < centre(b); });
  for (size_t start = 0; start < lines.size();) {
    const Extent first = extent(lines[start]);
    const float row_centre = (first.top + first.bottom) / 2;
    const float reach = (first.bottom - first.top) / 2;
    size_t end = start + 1;
    while (end < lines.size() && centre(lines[end]) - row_centre <= reach) ++end;
    std::stable_sort(lines.begin() + static_cast<std::ptrdiff_t>(start),
                     lines.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](const auto& a, const auto& b) { return extent(a).left < extent(b).left; });
    start = end;
  }
}

}  // namespace inferd::preprocess
