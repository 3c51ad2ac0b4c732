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
