#include "preprocess/decode.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preprocess/test_util.h"

namespace inferd::preprocess {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadTestImage;

TEST(DecodeTest, PngPixelsAreExact) {
  auto image = DecodeImage(ReadTestImage("tiny.png"));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 3);
  EXPECT_EQ(image->height, 2);
  EXPECT_EQ(image->channels, 3);
  EXPECT_THAT(image->pixels, ElementsAre(255, 0, 0, 0, 255, 0, 0, 0, 255,  //
                                         10, 20, 30, 128, 128, 128, 250, 251, 252));
}

TEST(DecodeTest, PalettePngIsExpandedAsPil) {
  auto image = DecodeImage(ReadTestImage("tiny_palette.png"));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_THAT(image->pixels, ElementsAre(255, 0, 0, 0, 255, 0, 0, 0, 255,  //
                                         0, 0, 51, 153, 153, 102, 255, 255, 255));
}

TEST(DecodeTest, GrayUsesPilLuma) {
  DecodeOptions options;
  options.gray = true;
  auto image = DecodeImage(ReadTestImage("tiny.png"), options);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->channels, 1);
  EXPECT_THAT(image->pixels, ElementsAre(76, 150, 29, 18, 128, 251));  // PIL convert("L")
}

TEST(DecodeTest, JpegAndRgbaPng) {
  auto jpeg = DecodeImage(ReadTestImage("photo.jpg"));
  ASSERT_TRUE(jpeg.ok()) << jpeg.status();
  EXPECT_EQ(jpeg->width, 400);
  EXPECT_EQ(jpeg->height, 300);
  auto rgba = DecodeImage(ReadTestImage("small_rgba.png"));
  ASSERT_TRUE(rgba.ok()) << rgba.status();
  EXPECT_EQ(rgba->channels, 3);  // alpha dropped, as PIL's convert("RGB")
  EXPECT_EQ(rgba->pixels.size(), 100u * 80 * 3);
}

TEST(DecodeTest, ExifOrientationIsAppliedAsPilExifTranspose) {
  const std::string jpeg = ReadTestImage("exif6.jpg");
  EXPECT_EQ(JpegExifOrientation(jpeg), 6);
  auto upright = DecodeImage(jpeg);
  ASSERT_TRUE(upright.ok()) << upright.status();
  auto expected = DecodeImage(ReadTestImage("exif6_upright.png"));
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_EQ(upright->width, 48);
  EXPECT_EQ(upright->height, 64);
  EXPECT_EQ(upright->pixels, expected->pixels);

  DecodeOptions raw;
  raw.exif_orientation = false;
  auto as_stored = DecodeImage(jpeg, raw);
  ASSERT_TRUE(as_stored.ok());
  EXPECT_EQ(as_stored->width, 64);
}

TEST(DecodeTest, EveryOrientationMatchesPilTranspose) {
  Image image(3, 2, 1);
  image.pixels = {1, 2, 3, 4, 5, 6};
  EXPECT_THAT(ApplyOrientation(image, 2).pixels, ElementsAre(3, 2, 1, 6, 5, 4));
  EXPECT_THAT(ApplyOrientation(image, 3).pixels, ElementsAre(6, 5, 4, 3, 2, 1));
  EXPECT_THAT(ApplyOrientation(image, 4).pixels, ElementsAre(4, 5, 6, 1, 2, 3));
  EXPECT_THAT(ApplyOrientation(image, 5).pixels, ElementsAre(1, 4, 2, 5, 3, 6));
  EXPECT_THAT(ApplyOrientation(image, 6).pixels, ElementsAre(4, 1, 5, 2, 6, 3));
  EXPECT_THAT(ApplyOrientation(image, 7).pixels, ElementsAre(6, 3, 5, 2, 4, 1));
  EXPECT_THAT(ApplyOrientation(image, 8).pixels, ElementsAre(3, 6, 2, 5, 1, 4));
  EXPECT_EQ(ApplyOrientation(image, 6).width, 2);
}

void ExpectInvalid(const std::string& bytes, const std::string& message,
                   const DecodeOptions& options = {}) {
  auto image = DecodeImage(bytes, options);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(image.status().message()), HasSubstr(message));
}

TEST(DecodeTest, BadImagesAreInvalidArgument) {
  ExpectInvalid("", "empty");
  ExpectInvalid("GIF89a\x01\x00\x01\x00", "unsupported format");
  ExpectInvalid("{\"inputs\": []}", "unsupported format");
  const std::string jpeg = ReadTestImage("photo.jpg");
  ExpectInvalid(jpeg.substr(0, jpeg.size() / 2), "JPEG");
  ExpectInvalid(jpeg.substr(0, 40), "invalid image");
  const std::string png = ReadTestImage("tall.png");
  ExpectInvalid(png.substr(0, png.size() / 2), "PNG");
  ExpectInvalid(png.substr(0, 20), "PNG");
  std::string corrupt = png;
  corrupt[40] ^= 0x55;  // inside the first chunk after IHDR: its CRC no longer matches
  ExpectInvalid(corrupt, "PNG");
}

TEST(DecodeTest, TooManyPixelsIsRefusedBeforeDecoding) {
  DecodeOptions options;
  options.max_pixels = 400 * 300 - 1;
  ExpectInvalid(ReadTestImage("photo.jpg"), "exceeds the limit", options);
  options.max_pixels = 300 * 380 - 1;
  ExpectInvalid(ReadTestImage("tall.png"), "exceeds the limit", options);
  options.max_pixels = 400 * 300;
  EXPECT_TRUE(DecodeImage(ReadTestImage("photo.jpg"), options).ok());
}

// PIL's draft rule: the largest of 1/8, 1/4, 1/2 that keeps both sides at least the target's.
TEST(DecodeTest, DraftDenominatorFollowsPil) {
  EXPECT_EQ(JpegDraftDenominator(1024, 768, 1, {256, 0, 0}), 2);   // 768 // 256 = 3
  EXPECT_EQ(JpegDraftDenominator(2048, 1536, 1, {256, 0, 0}), 4);  // 1536 // 256 = 6
  EXPECT_EQ(JpegDraftDenominator(4096, 3072, 1, {256, 0, 0}), 8);  // 12
  EXPECT_EQ(JpegDraftDenominator(511, 1000, 1, {256, 0, 0}), 1);   // 511 // 256 = 1
  EXPECT_EQ(JpegDraftDenominator(400, 300, 1, {256, 0, 0}), 1);
  EXPECT_EQ(JpegDraftDenominator(400, 300, 1, {}), 1);  // no target: full size
  // An exact target is in display orientation: EXIF 6 swaps the stored axes.
  EXPECT_EQ(JpegDraftDenominator(1000, 400, 1, {0, 100, 400}), 1);  // 400 // 400 = 1
  EXPECT_EQ(JpegDraftDenominator(1000, 400, 6, {0, 100, 400}), 2);  // 1000 // 400, 400 // 100
}

TEST(DecodeTest, DraftDecodesAtAReducedScale) {
  const std::string jpeg = ReadTestImage("photo1024.jpg");
  DecodeOptions options;
  options.draft.shorter_side = 256;
  auto image = DecodeImage(jpeg, options);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 512);
  EXPECT_EQ(image->height, 384);
  options.draft.shorter_side = 400;  // 768 // 400 = 1: full size
  image = DecodeImage(jpeg, options);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 1024);
  // The pixel limit is about the stored image, whatever the decode scale.
  options.max_pixels = 1024 * 768 - 1;
  options.draft.shorter_side = 64;
  ExpectInvalid(jpeg, "exceeds the limit", options);
}

}  // namespace
}  // namespace inferd::preprocess
