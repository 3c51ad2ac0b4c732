// A text recogniser's and a text detector's pipeline loaded as model assets, and the answer
// FinishImageResponse makes of their outputs.
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "preprocess/model_assets.h"

namespace inferd::preprocess {
namespace {

using ::testing::FloatNear;
using ::testing::HasSubstr;

class TextFiles : public ModelFiles {
 public:
  StatusOr<std::string> Read(std::string_view model, int64_t version,
                             std::string_view file) const override {
    auto it =
        files.find(std::string(model) + "/" + std::to_string(version) + "/" + std::string(file));
    if (it == files.end()) return absl::NotFoundError("no such file");
    return it->second;
  }
  std::map<std::string, std::string> files;
};

::inference::ModelConfig TextConfig(bool with_alphabet) {
  ::inference::ModelConfig config;
  config.set_name("m");
  config.set_max_batch_size(8);
  config.add_input()->set_name("x");
  auto* output = config.add_output();
  output->set_name("probs");
  if (with_alphabet) output->set_label_filename("keys.txt");
  return config;
}

core::Tensor FloatTensor(std::vector<float> values, core::Shape shape) {
  core::OwnedTensor owned = core::MakeOwnedTensor("probs", core::DataType::kFp32, std::move(shape),
                                                  values.size() * sizeof(float));
  std::memcpy(owned.writable.data(), values.data(), values.size() * sizeof(float));
  return std::move(owned.tensor);
}

TEST(TextAssetsTest, CtcAnswersTheTextOfTheFirstBatchEntry) {
  TextFiles files;
  files.files["m/0/pipeline.json"] =
      R"({"output": {"decode": "ctc", "softmax": false, "ctc_space_last": true}})";
  files.files["m/0/keys.txt"] = "h\ni\n";  // classes: blank, h, i, space
  const ModelAssets assets = LoadModelAssets(TextConfig(true), files, 1);
  ASSERT_TRUE(assets.image.ok()) << assets.image.status();
  core::InferenceResponse response;
  // [1, 3 steps, 4 classes]: h, space, i
  response.outputs.push_back(
      FloatTensor({0, .9f, 0, .1f, 0, 0, .2f, .8f, .1f, 0, .9f, 0}, {1, 3, 4}));
  ASSERT_TRUE(FinishImageResponse(*assets.image, {}, response).ok());
  ASSERT_TRUE(response.text.has_value());
  EXPECT_EQ(response.text->text, "h i");
  EXPECT_THAT(response.text->confidence, FloatNear((.9 + .8 + .9) / 3, 1e-6));
  EXPECT_TRUE(response.predictions.empty());
}

TEST(TextAssetsTest, CtcWithoutAnAlphabetFailsToLoad) {
  TextFiles files;
  files.files["m/0/pipeline.json"] = R"({"output": {"decode": "ctc"}})";
  const ModelAssets assets = LoadModelAssets(TextConfig(false), files, 1);
  ASSERT_FALSE(assets.image.ok());
  EXPECT_TRUE(absl::IsInternal(assets.image.status()));
  EXPECT_THAT(assets.image.status().message(), HasSubstr("names no alphabet"));
}

TEST(TextAssetsTest, AnAlphabetOfAnotherModelIsAServerError) {
  TextFiles files;
  files.files["m/0/pipeline.json"] = R"({"output": {"decode": "ctc"}})";
  files.files["m/0/keys.txt"] = "a\nb\nc\n";
  const ModelAssets assets = LoadModelAssets(TextConfig(true), files, 1);
  ASSERT_TRUE(assets.image.ok()) << assets.image.status();
  core::InferenceResponse response;
  response.outputs.push_back(FloatTensor(std::vector<float>(6, 0.f), {1, 2, 3}));
  const Status status = FinishImageResponse(*assets.image, {}, response);
  EXPECT_TRUE(absl::IsInternal(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("3 classes"));
}

TEST(TextAssetsTest, TextBoxesAreInTheUploadedImagesCoordinates) {
  TextFiles files;
  files.files["m/0/pipeline.json"] =
      R"({"output": {"decode": "text_boxes", "unclip_ratio": 0.01}})";
  const ModelAssets assets = LoadModelAssets(TextConfig(false), files, 1);
  ASSERT_TRUE(assets.image.ok()) << assets.image.status();
  std::vector<float> map(32 * 16, 0.f);
  for (int y = 4; y <= 10; ++y) {
    for (int x = 2; x <= 29; ++x) map[y * 32 + x] = 0.95f;
  }
  core::InferenceResponse response;
  response.outputs.push_back(FloatTensor(map, {1, 1, 16, 32}));
  ImageGeometry geometry;
  geometry.decoded = {320, 160};  // ten times the map
  ASSERT_TRUE(FinishImageResponse(*assets.image, geometry, response).ok());
  ASSERT_TRUE(response.text_lines.has_value());
  ASSERT_EQ(response.text_lines->size(), 1u);
  const auto& box = (*response.text_lines)[0];
  EXPECT_NEAR(box.points[0][0], 20, 1);
  EXPECT_NEAR(box.points[0][1], 40, 1);
  EXPECT_NEAR(box.points[2][0], 290, 1);
  EXPECT_NEAR(box.points[2][1], 100, 1);
  EXPECT_THAT(box.score, FloatNear(0.95, 1e-6));
}

}  // namespace
}  // namespace inferd::preprocess
