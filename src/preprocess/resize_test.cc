#include "preprocess/resize.h"

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::preprocess {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

Image Gray(int w, int h, std::vector<uint8_t> pixels) {
  Image image(w, h, 1);
  image.pixels = std::move(pixels);
  return image;
}

// Expected values are Pillow 9.4's Image.resize on the same pixels.
TEST(ResizeTest, DownscaleMatchesPil) {
  const Image row = Gray(4, 1, {0, 100, 200, 255});
  EXPECT_THAT(Resize(row, {2, 1}, Interpolation::kBilinear).pixels, ElementsAre(71, 209));
  EXPECT_THAT(Resize(row, {2, 1}, Interpolation::kBicubic).pixels, ElementsAre(60, 221));
}

TEST(ResizeTest, UpscaleMatchesPil) {
  const Image row = Gray(4, 1, {0, 100, 200, 255});
  EXPECT_THAT(Resize(row, {7, 1}, Interpolation::kBilinear).pixels,
              ElementsAre(0, 36, 93, 150, 204, 235, 255));
  EXPECT_THAT(Resize(row, {7, 1}, Interpolation::kBicubic).pixels,
              ElementsAre(0, 26, 92, 153, 206, 242, 255));
}

TEST(ResizeTest, TwoPassesMatchPil) {
  std::vector<uint8_t> ramp(30);
  for (int i = 0; i < 30; ++i) ramp[i] = static_cast<uint8_t>(i * 8);
  const Image image = Gray(6, 5, ramp);
  EXPECT_THAT(Resize(image, {4, 3}, Interpolation::kBilinear).pixels,
              ElementsAreArray({24, 35, 47, 58, 99, 110, 122, 133, 174, 185, 197, 208}));
  EXPECT_THAT(Resize(image, {4, 3}, Interpolation::kBicubic).pixels,
              ElementsAreArray({19, 31, 43, 55, 98, 110, 122, 134, 177, 189, 201, 213}));
}

TEST(ResizeTest, SameSizeIsACopyAndChannelsStayInterleaved) {
  Image rgb(3, 2, 3);
  for (size_t i = 0; i < rgb.pixels.size(); ++i) rgb.pixels[i] = static_cast<uint8_t>(i * 13);
  EXPECT_EQ(Resize(rgb, {3, 2}, Interpolation::kBilinear).pixels, rgb.pixels);
  Image flat(8, 8, 3);
  for (size_t i = 0; i < flat.pixels.size(); ++i) flat.pixels[i] = i % 3 == 0 ? 10 : 200;
  const Image small = Resize(flat, {3, 5}, Interpolation::kBicubic);
  ASSERT_EQ(small.pixels.size(), 3u * 5 * 3);
  for (size_t i = 0; i < small.pixels.size(); ++i) {
    EXPECT_EQ(small.pixels[i], i % 3 == 0 ? 10 : 200) << i;
  }
}

TEST(ResizeTest, ShorterSideTruncatesTheLongerOne) {
  EXPECT_EQ(ShorterSideSize(400, 300, 256).width, 341);  // int(256 * 400 / 300) = 341
  EXPECT_EQ(ShorterSideSize(400, 300, 256).height, 256);
  EXPECT_EQ(ShorterSideSize(300, 380, 256).width, 256);
  EXPECT_EQ(ShorterSideSize(300, 380, 256).height, 324);  // 324.26
  EXPECT_EQ(ShorterSideSize(50, 50, 7).width, 7);
}

// Any window of the resized image, computed alone, is the same bytes as resizing then cutting
// it out: RGB and gray, up and down, 3 to 13 taps (the specialised and the generic row code, the
// AVX2 path and the row ends that bypass it), inputs narrower than the filter.
TEST(ResizeTest, WindowIsResizeThenCrop) {
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245 + 12345;
    return static_cast<uint8_t>(seed >> 16);
  };
  const struct {
    int in_w, in_h, out_w, out_h;
  } cases[] = {{40, 30, 57, 43}, {64, 48, 20, 15}, {97, 61, 31, 17}, {2, 3, 7, 5},
               {31, 7, 9, 29},   {5, 5, 5, 9},     {9, 5, 4, 5}};
  for (int channels : {1, 3}) {
    for (const auto& c : cases) {
      Image image(c.in_w, c.in_h, channels);
      for (uint8_t& p : image.pixels) p = next();
      for (Interpolation interpolation : {Interpolation::kBilinear, Interpolation::kBicubic}) {
        const Size size{c.out_w, c.out_h};
        const Image full = Resize(image, size, interpolation);
        for (const Rect window : {Rect{0, 0, c.out_w, c.out_h}, Rect{1, 2, c.out_w - 2, 1},
                                  Rect{c.out_w / 3, c.out_h / 4, c.out_w / 2, c.out_h / 2}}) {
          SCOPED_TRACE(::testing::Message()
                       << channels << "ch " << c.in_w << "x" << c.in_h << " -> " << c.out_w << "x"
                       << c.out_h << " window " << window.x << "," << window.y << " "
                       << window.width << "x" << window.height);
          if (window.width <= 0 || window.height <= 0) continue;
          const Image part = ResizeWindow(image, size, interpolation, window);
          ASSERT_EQ(part.width, window.width);
          ASSERT_EQ(part.height, window.height);
          for (int y = 0; y < window.height; ++y) {
            for (int x = 0; x < window.width * channels; ++x) {
              ASSERT_EQ(part.Row(y)[x], full.Row(window.y + y)[window.x * channels + x])
                  << "at " << x << "," << y;
            }
          }
        }
      }
    }
  }
}

TEST(CenterCropTest, WindowMatchesCenterCrop) {
  const auto window = CenterCropWindow({341, 256}, {224, 224});
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->x, 58);  // round(58.5) = 58 (half to even)
  EXPECT_EQ(window->y, 16);
  EXPECT_EQ(window->width, 224);
  EXPECT_FALSE(CenterCropWindow({200, 256}, {224, 224}).has_value());  // pads
}

TEST(CenterCropTest, OffsetsRoundHalfToEvenAsTorchvision) {
  std::vector<uint8_t> pixels(20);
  for (int i = 0; i < 20; ++i) pixels[i] = static_cast<uint8_t>(i);
  const Image image = Gray(5, 4, pixels);  // rows: 0..4, 5..9, 10..14, 15..19
  // left = round(1.5) = 2, top = round(1.5) = 2.
  EXPECT_THAT(CenterCrop(image, {2, 1}).pixels, ElementsAre(12, 13));
  // left = round(0.5) = 0, top = round(1.0) = 1.
  EXPECT_THAT(CenterCrop(image, {4, 2}).pixels, ElementsAre(5, 6, 7, 8, 10, 11, 12, 13));
}

TEST(CenterCropTest, PadsWithZerosWhenTheCropIsLarger) {
  const Image image = Gray(2, 1, {7, 9});
  // Width 2 -> 5: pad left (5-2)//2 = 1; height 1 -> 2: pad top 0.
  EXPECT_THAT(CenterCrop(image, {5, 2}).pixels, ElementsAre(0, 7, 9, 0, 0, 0, 0, 0, 0, 0));
}

}  // namespace
}  // namespace inferd::preprocess
