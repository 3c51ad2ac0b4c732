#include "preprocess/text_boxes.h"

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::preprocess {
namespace {

using ::testing::FloatNear;

struct ProbabilityMap {
  Size size;
  std::vector<float> values;
  ProbabilityMap(int w, int h) : size{w, h}, values(static_cast<size_t>(w) * h, 0.f) {}
  void Fill(int x0, int y0, int x1, int y1, float p) {  // inclusive
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) values[static_cast<size_t>(y) * size.width + x] = p;
    }
  }
};

void ExpectPoint(const TextPoint& p, double x, double y) {
  EXPECT_THAT(p.x, FloatNear(x, 0.01)) << "x";
  EXPECT_THAT(p.y, FloatNear(y, 0.01)) << "y";
}

TEST(TextBoxesTest, ABarBecomesItsUnclippedRectangleInImageCoordinates) {
  ProbabilityMap map(64, 32);
  map.Fill(4, 4, 43, 9, 0.9f);  // pixel centres span 39 x 5
  // Unclip: 39 * 5 * 1.5 / (2 * (39 + 5)) = 3.3239 more on every side; the image is twice the map.
  const auto boxes = FindTextBoxes(map.values, map.size, {128, 64}, TextBoxSpec{});
  ASSERT_EQ(boxes.size(), 1u);
  const double d = 39.0 * 5 * 1.5 / 88;
  ExpectPoint(boxes[0].points[0], 2 * (4 - d), 2 * (4 - d));
  ExpectPoint(boxes[0].points[1], 2 * (43 + d), 2 * (4 - d));
  ExpectPoint(boxes[0].points[2], 2 * (43 + d), 2 * (9 + d));
  ExpectPoint(boxes[0].points[3], 2 * (4 - d), 2 * (9 + d));
  EXPECT_THAT(boxes[0].score, FloatNear(0.9, 1e-6));
}

TEST(TextBoxesTest, LinesComeTopToBottomAndLeftToRightWithinALine) {
  ProbabilityMap map(100, 60);
  map.Fill(10, 40, 60, 47, 0.8f);  // the lowest line
  map.Fill(60, 10, 90, 17, 0.8f);  // the first line's right word
  map.Fill(5, 12, 40, 19, 0.8f);   // the first line's left word, 2 pixels lower
  const auto boxes = FindTextBoxes(map.values, map.size, map.size, TextBoxSpec{});
  ASSERT_EQ(boxes.size(), 3u);
  EXPECT_LT(boxes[0].points[0].x, 20);
  EXPECT_GT(boxes[1].points[0].x, 50);
  EXPECT_GT(boxes[2].points[0].y, 30);
}

TEST(TextBoxesTest, FaintTinyAndClippedRegionsAreDropped) {
  ProbabilityMap map(64, 64);
  map.Fill(2, 2, 40, 8, 0.45f);     // above threshold 0.3 but mean under box_threshold 0.6
  map.Fill(50, 50, 51, 51, 0.99f);  // 1 x 1 between pixel centres: under min_size
  map.Fill(2, 30, 60, 60, 0.99f);   // a real region, reaching past the image edge once unclipped
  const auto boxes = FindTextBoxes(map.values, map.size, map.size, TextBoxSpec{});
  ASSERT_EQ(boxes.size(), 1u);
  for (const auto& p : boxes[0].points) {
    EXPECT_GE(p.x, 0);
    EXPECT_LE(p.x, 64);
    EXPECT_GE(p.y, 0);
    EXPECT_LE(p.y, 64);
  }
}

TEST(TextBoxesTest, ATiltedBarGetsATiltedBox) {
  ProbabilityMap map(80, 80);
  for (int i = 0; i < 50; ++i) map.Fill(10 + i, 10 + i, 12 + i, 14 + i, 0.9f);  // 45 degrees
  const auto boxes = FindTextBoxes(map.values, map.size, map.size, TextBoxSpec{});
  ASSERT_EQ(boxes.size(), 1u);
  const auto& p = boxes[0].points;
  // The long side runs down and to the right at about 45 degrees.
  const double angle = std::atan2(p[1].y - p[0].y, p[1].x - p[0].x) * 180 / M_PI;
  EXPECT_NEAR(std::abs(angle), 45, 3) << angle;
}

TEST(TextBoxesTest, EmptyOrShortMapsHaveNoBoxes) {
  EXPECT_TRUE(FindTextBoxes({}, {0, 0}, {10, 10}, TextBoxSpec{}).empty());
  const std::vector<float> short_map(5, 1.f);
  EXPECT_TRUE(FindTextBoxes(short_map, {3, 3}, {3, 3}, TextBoxSpec{}).empty());
}

TEST(TextBoxesTest, MaxBoxesKeepsTheLargestRegions) {
  ProbabilityMap map(100, 100);
  map.Fill(5, 5, 30, 12, 0.9f);   // small
  map.Fill(5, 50, 90, 70, 0.9f);  // large
  TextBoxSpec spec;
  spec.max_boxes = 1;
  const auto boxes = FindTextBoxes(map.values, map.size, map.size, spec);
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_GT(boxes[0].points[0].y, 30);  // 50 less the unclip distance (12.1)
}

Image Gradient(int w, int h) {
  Image image(w, h, 1);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) image.Row(y)[x] = static_cast<uint8_t>(x * 4);
  }
  return image;
}

TEST(TextBoxesTest, CropOfAnAxisAlignedBoxIsThatPartOfTheImage) {
  const Image image = Gradient(60, 20);
  const TextBox box{{TextPoint{10, 5}, TextPoint{40, 5}, TextPoint{40, 15}, TextPoint{10, 15}}, 1};
  const Image crop = CropTextBox(image, box);
  ASSERT_EQ(crop.width, 30);
  ASSERT_EQ(crop.height, 10);
  for (int x = 0; x < 30; ++x) EXPECT_EQ(crop.Row(4)[x], (10 + x) * 4) << x;
}

TEST(TextBoxesTest, ATallBoxIsTurnedToReadHorizontally) {
  const Image image = Gradient(60, 60);
  const TextBox box{{TextPoint{10, 5}, TextPoint{20, 5}, TextPoint{20, 45}, TextPoint{10, 45}}, 1};
  const Image crop = CropTextBox(image, box);
  EXPECT_EQ(crop.width, 40);
  EXPECT_EQ(crop.height, 10);
  // Counter-clockwise: the box's right column (x = 19) becomes the top row.
  EXPECT_EQ(crop.Row(0)[0], 19 * 4);
  EXPECT_EQ(crop.Row(9)[0], 10 * 4);
}

TEST(TextBoxesTest, ADegenerateBoxCropsToOnePixel) {
  const Image image = Gradient(8, 8);
  const TextBox box{{TextPoint{3, 3}, TextPoint{3, 3}, TextPoint{3, 3}, TextPoint{3, 3}}, 1};
  const Image crop = CropTextBox(image, box);
  EXPECT_EQ(crop.width, 1);
  EXPECT_EQ(crop.height, 1);
}

// An axis-aligned line box from (left, top) to (right, bottom), tagged by its score.
core::TextLineBox Line(float left, float top, float right, float bottom, float tag) {
  core::TextLineBox line;
  line.points = {{{left, top}, {right, top}, {right, bottom}, {left, bottom}}};
  line.score = tag;
  return line;
}

std::vector<float> Tags(const std::vector<core::TextLineBox>& lines) {
  std::vector<float> tags;
  for (const auto& line : lines) tags.push_back(line.score);
  return tags;
}

TEST(PadEdgesTest, CopiesTheNearestEdgePixelOutward) {
  Image image(2, 2, 1);
  image.pixels = {1, 2, 3, 4};
  const Image padded = PadEdges(image, 1);
  ASSERT_EQ(padded.width, 4);
  ASSERT_EQ(padded.height, 4);
  EXPECT_THAT(padded.pixels, ::testing::ElementsAre(1, 1, 2, 2,  //
                                                    1, 1, 2, 2,  //
                                                    3, 3, 4, 4,  //
                                                    3, 3, 4, 4));
  EXPECT_EQ(PadEdges(image, 0).pixels, image.pixels);
}

TEST(ReadingOrderTest, RowsTopToBottomEachLeftToRight) {
  // Two columns: a row's right box comes first and sits a few pixels higher; then a single line.
  std::vector<core::TextLineBox> lines = {
      Line(10, 100, 200, 130, 3),  // row 2, left
      Line(300, 95, 500, 125, 4),  // row 2, right, a little higher
      Line(300, 8, 480, 40, 2),    // row 1, right
      Line(10, 10, 200, 40, 1),    // row 1, left
      Line(10, 200, 400, 230, 5),  // row 3
  };
  SortReadingOrder(lines);
  EXPECT_THAT(Tags(lines), ::testing::ElementsAre(1, 2, 3, 4, 5));
}

TEST(ReadingOrderTest, ALargerFontOnTheSameRowStillReadsLeftToRight) {
  // Tops differ by 20 px (more than PaddleOCR's 10 px rule allows), centres by 2 px.
  std::vector<core::TextLineBox> lines = {
      Line(400, 30, 600, 60, 2),
      Line(10, 10, 300, 78, 1),
  };
  SortReadingOrder(lines);
  EXPECT_THAT(Tags(lines), ::testing::ElementsAre(1, 2));
}

TEST(ReadingOrderTest, CloseButSeparateLinesStayInRows) {
  // Line spacing of 32 px with 30 px lines: every line is its own row, whatever its x.
  std::vector<core::TextLineBox> lines;
  for (int i = 5; i >= 0; --i) {
    lines.push_back(Line(static_cast<float>(100 - 10 * i), static_cast<float>(32 * i), 300,
                         static_cast<float>(32 * i + 30), static_cast<float>(i)));
  }
  SortReadingOrder(lines);
  EXPECT_THAT(Tags(lines), ::testing::ElementsAre(0, 1, 2, 3, 4, 5));
}

TEST(ReadingOrderTest, NoLinesAndOneLine) {
  std::vector<core::TextLineBox> none;
  SortReadingOrder(none);
  EXPECT_TRUE(none.empty());
  std::vector<core::TextLineBox> one = {Line(1, 2, 3, 4, 7)};
  SortReadingOrder(one);
  EXPECT_THAT(Tags(one), ::testing::ElementsAre(7));
}

}  // namespace
}  // namespace inferd::preprocess
