// The text-line steps of the image pipeline (PP-OCR's resize_norm_img): resize to a fixed height
// keeping the aspect ratio, pad on the right to a fixed width with a declared value, refuse
// images too small or too wide; and their declaration in pipeline.json.
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preprocess/pipeline.h"

namespace inferd::preprocess {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<float> TextLineFloats(const core::Tensor& t) {
  std::vector<float> out(t.data.size() / sizeof(float));
  std::memcpy(out.data(), t.data.data(), t.data.size());
  return out;
}

Image Uniform(int width, int height, uint8_t value) {
  Image image(width, height, 3);
  std::fill(image.pixels.begin(), image.pixels.end(), value);
  return image;
}

PipelineSpec TextLineSpec(std::string_view resize_and_pad) {
  auto spec = ParsePipelineSpec(std::string(R"({"image": {"input": "x", "color": "BGR",
      "min_side": 4, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], )") +
                                std::string(resize_and_pad) + "}}");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : PipelineSpec{};
}

constexpr std::string_view kRec =
    R"("resize": {"height": 8, "max_width": 32, "max_aspect_ratio": 10},
       "pad": {"width": 32, "height": 8, "value": -7})";

TEST(TextLineTest, KeepsTheAspectRatioThenPadsOnTheRight) {
  const PipelineSpec spec = TextLineSpec(kRec);
  // 20 x 10 -> 16 x 8 (ratio kept), then columns 16..31 hold the pad value.
  auto t = TransformImage(Uniform(20, 10, 255), spec.image);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(3, 8, 32));
  const std::vector<float> v = TextLineFloats(*t);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < 8; ++y) {
      EXPECT_FLOAT_EQ(v[(c * 8 + y) * 32 + 15], 1.f) << c << "," << y;  // (255/255 - .5) / .5
      EXPECT_FLOAT_EQ(v[(c * 8 + y) * 32 + 16], -7.f) << c << "," << y;
    }
  }
}

TEST(TextLineTest, RoundsTheWidthUpAndCapsItAtMaxWidth) {
  const PipelineSpec spec = TextLineSpec(kRec);
  // 21 x 10 -> ceil(16.8) = 17 columns of image.
  auto t = TransformImage(Uniform(21, 10, 0), spec.image);
  ASSERT_TRUE(t.ok()) << t.status();
  const std::vector<float> v = TextLineFloats(*t);
  EXPECT_FLOAT_EQ(v[16], -1.f);
  EXPECT_FLOAT_EQ(v[17], -7.f);
  // 90 x 10 (ratio 9) is squeezed into all 32 columns: no padding left.
  t = TransformImage(Uniform(90, 10, 0), spec.image);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(3, 8, 32));
  EXPECT_FLOAT_EQ(TextLineFloats(*t)[31], -1.f);
}

TEST(TextLineTest, EveryLineHasTheSameShapeSoRequestsBatch) {
  const PipelineSpec spec = TextLineSpec(kRec);
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{4, 4}, {40, 8}, {99, 10}, {5, 9}}) {
    auto t = TransformImage(Uniform(w, h, 9), spec.image);
    ASSERT_TRUE(t.ok()) << w << "x" << h << ": " << t.status();
    EXPECT_THAT(t->shape, ElementsAre(3, 8, 32)) << w << "x" << h;
  }
}

TEST(TextLineTest, NhwcUint8PadsEveryRow) {
  auto spec = ParsePipelineSpec(R"({"image": {"dtype": "UINT8", "layout": "NHWC",
      "resize": {"height": 2, "max_width": 4}, "pad": {"width": 4, "height": 3, "value": 7}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto t = TransformImage(Uniform(2, 2, 200), spec->image);  // 2 x 2 -> 2 x 2, padded to 4 x 3
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(3, 4, 3));
  std::vector<uint8_t> bytes(t->data.size());
  std::memcpy(bytes.data(), t->data.data(), bytes.size());
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 4; ++x) {
      for (int c = 0; c < 3; ++c) {
        EXPECT_EQ(bytes[(y * 4 + x) * 3 + c], y < 2 && x < 2 ? 200 : 7) << y << "," << x;
      }
    }
  }
}

TEST(TextLineTest, TooSmallAndTooWideImagesAreInvalidArgument) {
  const PipelineSpec spec = TextLineSpec(kRec);
  auto t = TransformImage(Uniform(1, 1, 0), spec.image);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("1x1 is smaller than the 4 pixels"));
  t = TransformImage(Uniform(10000, 48, 0), spec.image);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("10000x48 is too wide"));
}

TEST(TextLineTest, AnImageLargerThanThePadIsInvalidArgument) {
  const PipelineSpec spec = TextLineSpec(R"("pad": {"width": 8, "height": 8})");
  auto t = TransformImage(Uniform(9, 8, 0), spec.image);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("larger than the 8x8 it is padded to"));
}

// A detector's page: the longer side shrunk to max_side (never enlarged), each side then rounded
// to a multiple of multiple_of (half up), at least one multiple.
TEST(TextLineTest, PageResizeBoundsTheLongerSideAndRoundsToTheMultiple) {
  auto spec = ParsePipelineSpec(R"({"image": {"resize": {"max_side": 960, "multiple_of": 32}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  for (const auto& [from, to] : std::vector<std::pair<Size, std::pair<int, int>>>{
           {{1000, 500}, {960, 480}},  // x 0.96
           {{100, 50}, {96, 64}},      // not enlarged: 3.125 and 1.5625 multiples
           {{10, 10}, {32, 32}},       // at least one multiple
           {{2000, 100}, {960, 64}}}) {
    auto t = TransformImage(Uniform(from.width, from.height, 0), spec->image);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_THAT(t->shape, ElementsAre(3, to.second, to.first)) << from.width << "x" << from.height;
  }
}

// A page far longer than high (or the reverse) would be squeezed to a sliver: refused.
TEST(TextLineTest, PageResizeRefusesPagesBeyondItsAspectRatio) {
  auto spec = ParsePipelineSpec(
      R"({"image": {"resize": {"max_side": 960, "multiple_of": 32, "max_aspect_ratio": 50}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(TransformImage(Uniform(2500, 50, 0), spec->image).ok());
  EXPECT_TRUE(TransformImage(Uniform(50, 2500, 0), spec->image).ok());
  for (const Size size : {Size{10000, 48}, Size{48, 10000}}) {
    auto t = TransformImage(Uniform(size.width, size.height, 0), spec->image);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(t.status().message(), HasSubstr("is too elongated for this model"));
  }
}

TEST(TextLineTest, ParsesTheTextBoxesOutput) {
  auto spec = ParsePipelineSpec(R"({"output": {"decode": "text_boxes", "threshold": 0.2,
      "box_threshold": 0.5, "unclip_ratio": 2, "min_size": 4, "max_boxes": 9}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->output.decode, OutputDecode::kTextBoxes);
  EXPECT_FLOAT_EQ(spec->output.text_boxes.threshold, 0.2f);
  EXPECT_FLOAT_EQ(spec->output.text_boxes.box_threshold, 0.5f);
  EXPECT_FLOAT_EQ(spec->output.text_boxes.unclip_ratio, 2.f);
  EXPECT_EQ(spec->output.text_boxes.min_size, 4);
  EXPECT_EQ(spec->output.text_boxes.max_boxes, 9);
}

TEST(TextLineTest, ParsesTheCtcOutput) {
  auto spec = ParsePipelineSpec(
      R"({"output": {"decode": "ctc", "softmax": false, "ctc_blank": 3, "ctc_space_last": true}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->output.decode, OutputDecode::kCtc);
  EXPECT_EQ(spec->output.ctc_blank, 3);
  EXPECT_TRUE(spec->output.ctc_space_last);
  spec = ParsePipelineSpec(R"({"output": {}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->output.decode, OutputDecode::kTopK);
}

TEST(TextLineTest, RejectsMistakesByName) {
  for (const auto& [json, key] : std::vector<std::pair<std::string, std::string>>{
           {R"({"image": {"resize": {"height": 8, "max_width": 0}}})", "'max_width'"},
           {R"({"image": {"resize": {"width": 8, "height": 8, "max_width": 9}}})", "'resize'"},
           {R"({"image": {"resize": {"max_width": 9}}})", "'resize'"},
           {R"({"image": {"resize": {"shorter_side": 8, "max_width": 9}}})", "'resize'"},
           {R"({"image": {"resize": {"height": 8, "width": 8, "max_aspect_ratio": 3}}})",
            "'resize.max_aspect_ratio'"},
           {R"({"image": {"resize": {"height": 8, "max_width": 9, "max_aspect_ratio": -1}}})",
            "'resize.max_aspect_ratio'"},
           {R"({"image": {"min_side": 0}})", "'min_side'"},
           {R"({"image": {"pad": {"width": 8}}})", "'pad'"},
           {R"({"image": {"pad": {"width": 8, "height": 8, "depth": 1}}})", "'pad.depth'"},
           {R"({"image": {"pad": {"width": 8, "height": 8, "value": "0"}}})", "'pad.value'"},
           {R"({"image": {"dtype": "UINT8", "pad": {"width": 8, "height": 8, "value": 256}}})",
            "'pad.value'"},
           {R"({"image": {"max_pixels": 10, "pad": {"width": 8, "height": 8}}})", "'pad'"},
           {R"({"output": {"decode": "beam"}})", "'decode'"},
           {R"({"output": {"ctc_blank": 1}})", "'ctc_blank'"},
           {R"({"output": {"decode": "ctc", "ctc_space_last": 1}})", "'ctc_space_last'"},
           {R"({"output": {"ctc_trim_spaces": true}})", "'ctc_trim_spaces'"},
           {R"({"image": {"resize": {"multiple_of": 32}}})", "'resize.multiple_of'"},
           {R"({"image": {"resize": {"max_side": 9, "height": 3}}})", "'resize'"},
           {R"({"image": {"resize": {"max_side": 9, "multiple_of": 0}}})", "'multiple_of'"},
           {R"({"output": {"threshold": 0.5}})", "'threshold'"},
           {R"({"output": {"decode": "text_boxes", "threshold": 1.5}})", "'threshold'"},
           {R"({"output": {"decode": "text_boxes", "unclip_ratio": 0}})", "'unclip_ratio'"},
           {R"({"output": {"decode": "text_boxes", "max_boxes": 0}})", "'max_boxes'"},
       }) {
    auto spec = ParsePipelineSpec(json);
    ASSERT_FALSE(spec.ok()) << json;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_THAT(spec.status().message(), HasSubstr(key)) << json;
  }
}

}  // namespace
}  // namespace inferd::preprocess
