// Fidelity: inferd's pipeline against torchvision's Resize(256), CenterCrop(224), ToTensor() on
// the same JPEG and PNG files (references made by tests/testdata/images/make_reference.py with
// Debian's python3-torchvision and python3-pil). The bound is 2/255 per element before
// normalization; the pipeline is a port of PIL's arithmetic, so the expected difference is 0.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "preprocess/pipeline.h"
#include "preprocess/test_util.h"
#include "rapidjson/document.h"

namespace inferd::preprocess {
namespace {

using testing::ReadTestImage;

struct Difference {
  double max = 0;   // in 1/255
  double mean = 0;  // in 1/255
};

// Our pipeline on `image` against torchvision's stored output `reference` (uint8 HWC PNG).
Difference CompareWithReference(const std::string& image, const rapidjson::Value& c,
                                const rapidjson::Document& doc, bool jpeg_draft) {
  auto reference = DecodeImage(ReadTestImage(c["reference"].GetString()));
  EXPECT_TRUE(reference.ok()) << reference.status();
  if (!reference.ok()) return {255, 255};
  int64_t sum = 0;
  for (uint8_t p : reference->pixels) sum += p;
  EXPECT_EQ(sum, c["sum"].GetInt64()) << "reference file damaged";
  ImageSpec spec;
  spec.resize = ResizeSpec{doc["resize"].GetInt(), {}, Interpolation::kBilinear};
  if (std::string(c["interpolation"].GetString()) == "bicubic") {
    spec.resize->interpolation = Interpolation::kBicubic;
  }
  spec.resize->jpeg_draft = jpeg_draft;
  spec.center_crop = Size{doc["crop"].GetInt(), doc["crop"].GetInt()};
  spec.layout = Layout::kNhwc;  // the reference is stored HWC
  auto tensor = RunImagePipeline(ReadTestImage(image), spec);
  EXPECT_TRUE(tensor.ok()) << tensor.status();
  if (!tensor.ok() || tensor->data.size() != reference->pixels.size() * sizeof(float)) {
    ADD_FAILURE() << "size mismatch";
    return {255, 255};
  }
  std::vector<float> ours(reference->pixels.size());
  std::memcpy(ours.data(), tensor->data.data(), tensor->data.size());
  Difference d;
  for (size_t i = 0; i < ours.size(); ++i) {
    const double diff = std::fabs(ours[i] * 255.0 - reference->pixels[i]);
    d.max = std::max(d.max, diff);
    d.mean += diff;
  }
  d.mean /= static_cast<double>(ours.size());
  return d;
}

// Photos at least twice the resize target: decoded at full size they match torchvision exactly;
// decoded at a reduced DCT scale (the default, docs/adr/0016) they differ by the bounds measured
// there.
TEST(FidelityTest, LargePhotosFullDecodeExactDraftWithinMeasuredBound) {
  rapidjson::Document doc;
  doc.Parse(ReadTestImage("large_reference.json").c_str());
  ASSERT_TRUE(doc.IsObject());
  ASSERT_GE(doc["cases"].Size(), 3u);
  for (const auto& c : doc["cases"].GetArray()) {
    const std::string image = c["image"].GetString();
    SCOPED_TRACE(image + " " + c["interpolation"].GetString());
    const Difference full = CompareWithReference(image, c, doc, /*jpeg_draft=*/false);
    const Difference draft = CompareWithReference(image, c, doc, /*jpeg_draft=*/true);
    std::printf(
        "fidelity %s (%s): full decode max %.2f/255 mean %.4f/255; draft max %.2f/255 "
        "mean %.4f/255\n",
        image.c_str(), c["interpolation"].GetString(), full.max, full.mean, draft.max, draft.mean);
    EXPECT_LT(full.max, 0.5);
    // docs/adr/0016's measurements: max 16-27/255 at sharp edges, mean 0.44-0.57/255.
    EXPECT_LE(draft.max, 32);
    EXPECT_LE(draft.mean, 1.0);
  }
}

TEST(FidelityTest, MatchesTorchvisionWithin2Of255) {
  rapidjson::Document doc;
  doc.Parse(ReadTestImage("reference.json").c_str());
  ASSERT_TRUE(doc.IsObject());
  ASSERT_GE(doc["cases"].Size(), 4u);
  for (const auto& c : doc["cases"].GetArray()) {
    const std::string image = c["image"].GetString();
    SCOPED_TRACE(image + " " + c["interpolation"].GetString());
    auto reference = DecodeImage(ReadTestImage(c["reference"].GetString()));
    ASSERT_TRUE(reference.ok()) << reference.status();
    int64_t sum = 0;
    for (uint8_t p : reference->pixels) sum += p;
    ASSERT_EQ(sum, c["sum"].GetInt64()) << "reference file damaged";

    ImageSpec spec;
    spec.resize = ResizeSpec{doc["resize"].GetInt(), {}, Interpolation::kBilinear};
    if (std::string(c["interpolation"].GetString()) == "bicubic") {
      spec.resize->interpolation = Interpolation::kBicubic;
    }
    spec.center_crop = Size{doc["crop"].GetInt(), doc["crop"].GetInt()};
    spec.layout = Layout::kNhwc;  // the reference is stored HWC
    auto tensor = RunImagePipeline(ReadTestImage(image), spec);
    ASSERT_TRUE(tensor.ok()) << tensor.status();
    ASSERT_EQ(tensor->data.size(), reference->pixels.size() * sizeof(float));
    std::vector<float> ours(reference->pixels.size());
    std::memcpy(ours.data(), tensor->data.data(), tensor->data.size());
    double max_diff = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
      max_diff = std::max(max_diff, std::fabs(ours[i] - reference->pixels[i] / 255.0));
    }
    std::printf("fidelity %s (%s): max |inferd - torchvision| = %.6f (%.2f/255)\n", image.c_str(),
                c["interpolation"].GetString(), max_diff, max_diff * 255);
    EXPECT_LE(max_diff, 2.0 / 255);
  }
}

}  // namespace
}  // namespace inferd::preprocess
