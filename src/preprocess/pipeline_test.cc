#include "preprocess/pipeline.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preprocess/test_util.h"

namespace inferd::preprocess {
namespace {

using ::testing::ElementsAre;
using ::testing::FloatNear;
using ::testing::HasSubstr;
using ::testing::Pointwise;
using testing::ReadTestImage;

std::vector<float> Floats(const core::Tensor& t) {
  std::vector<float> out(t.data.size() / sizeof(float));
  std::memcpy(out.data(), t.data.data(), t.data.size());
  return out;
}

// tiny.png: row 0 = red, green, blue; row 1 = (10,20,30), (128,128,128), (250,251,252).
TEST(PipelineTest, NchwFp32ScaledIsToTensor) {
  ImageSpec spec;
  spec.input = "x";
  auto t = RunImagePipeline(ReadTestImage("tiny.png"), spec);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->name, "x");
  EXPECT_EQ(t->dtype, core::DataType::kFp32);
  EXPECT_THAT(t->shape, ElementsAre(3, 2, 3));
  const std::vector<float> v = Floats(*t);
  EXPECT_FLOAT_EQ(v[0], 1.f);               // R plane, (0,0)
  EXPECT_FLOAT_EQ(v[3], 10.f / 255);        // R plane, (0,1)
  EXPECT_FLOAT_EQ(v[6 + 1], 1.f);           // G plane, (1,0)
  EXPECT_FLOAT_EQ(v[12 + 5], 252.f / 255);  // B plane, (2,1)
}

TEST(PipelineTest, NhwcBgrUint8) {
  ImageSpec spec;
  spec.layout = Layout::kNhwc;
  spec.color = ColorOrder::kBgr;
  spec.dtype = core::DataType::kUint8;
  auto t = RunImagePipeline(ReadTestImage("tiny.png"), spec);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->dtype, core::DataType::kUint8);
  EXPECT_THAT(t->shape, ElementsAre(2, 3, 3));
  std::vector<uint8_t> bytes(t->data.size());
  std::memcpy(bytes.data(), t->data.data(), bytes.size());
  EXPECT_THAT(bytes, ElementsAre(0, 0, 255, 0, 255, 0, 255, 0, 0,  //
                                 30, 20, 10, 128, 128, 128, 252, 251, 250));
}

TEST(PipelineTest, MeanStdAndGray) {
  ImageSpec spec;
  spec.color = ColorOrder::kGray;
  spec.mean = {0.5f};
  spec.std = {0.25f};
  auto t = RunImagePipeline(ReadTestImage("tiny.png"), spec);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(1, 2, 3));
  const std::vector<float> expected = {(76 / 255.f - .5f) / .25f,  (150 / 255.f - .5f) / .25f,
                                       (29 / 255.f - .5f) / .25f,  (18 / 255.f - .5f) / .25f,
                                       (128 / 255.f - .5f) / .25f, (251 / 255.f - .5f) / .25f};
  EXPECT_THAT(Floats(*t), Pointwise(FloatNear(1e-6), expected));
}

TEST(PipelineTest, ResizeAndCropGiveTheDeclaredShape) {
  auto spec = ParsePipelineSpec(R"({"image": {"input": "INPUT0",
      "resize": {"shorter_side": 64, "interpolation": "bicubic"},
      "center_crop": {"width": 56, "height": 48}, "layout": "NHWC"}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto t = RunImagePipeline(ReadTestImage("photo.jpg"), spec->image);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(48, 56, 3));
  spec->image.resize->shorter_side = 0;
  spec->image.resize->exact = {20, 10};
  spec->image.center_crop.reset();
  t = RunImagePipeline(ReadTestImage("photo.jpg"), spec->image);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(10, 20, 3));
}

TEST(PipelineTest, BadImageAndPixelLimitAreInvalidArgument) {
  ImageSpec spec;
  spec.max_pixels = 1000;
  auto t = RunImagePipeline(ReadTestImage("photo.jpg"), spec);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("exceeds the limit of 1000"));
  EXPECT_EQ(RunImagePipeline("not an image", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Found by fuzzing (image_pipeline): a shorter-side resize of a 1-pixel-wide image multiplies its
// height by the shorter side, far beyond max_pixels (and beyond an int), from a tiny upload.
TEST(PipelineTest, ResizeAndCropOutputsAreBoundedByMaxPixels) {
  ImageSpec spec;
  spec.resize = ResizeSpec{256, {}, Interpolation::kBilinear};
  const Image narrow(1, 100'000, 3);
  auto t = TransformImage(narrow, spec);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(t.status().message()),
              HasSubstr("resizing its 1x100000 pixels to 256x25600000 exceeds the limit"));
  spec.resize.reset();
  spec.center_crop = Size{65536, 65536};
  t = TransformImage(Image(2, 2, 3), spec);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("center_crop 65536x65536 exceeds"));
  spec.center_crop = Size{4, 4};
  spec.max_pixels = 16;
  EXPECT_TRUE(TransformImage(Image(2, 2, 3), spec).ok());
}

TEST(PipelineSpecTest, ParsesEveryKey) {
  auto spec = ParsePipelineSpec(R"({
    "image": {"input": "data", "color": "BGR", "exif_orientation": false, "max_pixels": 1000000,
              "resize": {"width": 300, "height": 200}, "center_crop": {"width": 224, "height": 224},
              "scale": false, "mean": [1, 2, 3], "std": [4, 5, 6], "layout": "NHWC",
              "dtype": "FP32"},
    "output": {"name": "prob", "softmax": false, "top_k": 3}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->image.input, "data");
  EXPECT_EQ(spec->image.color, ColorOrder::kBgr);
  EXPECT_FALSE(spec->image.exif_orientation);
  EXPECT_EQ(spec->image.max_pixels, 1000000);
  EXPECT_EQ(spec->image.resize->exact.width, 300);
  EXPECT_EQ(spec->image.center_crop->height, 224);
  EXPECT_FALSE(spec->image.scale);
  EXPECT_THAT(spec->image.std, ElementsAre(4, 5, 6));
  EXPECT_EQ(spec->image.layout, Layout::kNhwc);
  EXPECT_EQ(spec->output.output, "prob");
  EXPECT_FALSE(spec->output.softmax);
  EXPECT_EQ(spec->output.top_k, 3);
}

TEST(PipelineSpecTest, JpegDraftIsOffUnlessDeclared) {
  auto spec = ParsePipelineSpec(R"({"image": {"resize": {"shorter_side": 256}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_FALSE(spec->image.resize->jpeg_draft);
  spec = ParsePipelineSpec(R"({"image": {"resize": {"shorter_side": 256, "jpeg_draft": true}}})");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(spec->image.resize->jpeg_draft);
}

TEST(PipelineSpecTest, RejectsMistakesByName) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[1]", "must be an object"},
      {"{", "invalid JSON"},
      {R"({"imag": {}})", "'imag'"},
      {R"({"image": {"resise": {}}})", "image.resise"},
      {R"({"image": {"color": "YUV"}})", "'color'"},
      {R"({"image": {"mean": [1, 2]}})", "'mean'"},
      {R"({"image": {"std": [1, 0, 1]}})", "'std'"},
      {R"({"image": {"dtype": "UINT8", "mean": [1, 2, 3]}})", "need dtype FP32"},
      {R"({"image": {"resize": {"shorter_side": 0}}})", "'shorter_side'"},
      {R"({"image": {"resize": {"width": 3}}})", "needs both"},
      {R"({"image": {"resize": {"shorter_side": 3, "interpolation": "lanczos"}}})",
       "'interpolation'"},
      {R"({"output": {"top_k": -1}})", "'top_k'"},
      {R"({"image": {"resize": {"shorter_side": 3, "jpeg_draft": 1}}})", "'jpeg_draft'"},
  };
  for (const auto& [json, message] : cases) {
    auto spec = ParsePipelineSpec(json);
    ASSERT_FALSE(spec.ok()) << json;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(spec.status().message()), HasSubstr(message)) << json;
  }
}

TEST(TopKTest, SoftmaxThenHighestFirst) {
  OutputSpec spec;
  spec.top_k = 2;
  const auto top = TopK({1.f, 3.f, 2.f}, spec);
  ASSERT_EQ(top.size(), 2u);
  const double total = std::exp(1.0) + std::exp(3.0) + std::exp(2.0);
  EXPECT_EQ(top[0].index, 1);
  EXPECT_NEAR(top[0].score, std::exp(3.0) / total, 1e-6);
  EXPECT_EQ(top[1].index, 2);
  spec.softmax = false;
  spec.top_k = 0;  // all
  const auto all = TopK({0.5f, NAN, 0.5f, 0.9f}, spec);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].index, 3);
  EXPECT_EQ(all[1].index, 0);  // ties: lower index first
  EXPECT_EQ(all[2].index, 2);
  EXPECT_EQ(all[3].index, 1);  // NaN last
}

}  // namespace
}  // namespace inferd::preprocess
