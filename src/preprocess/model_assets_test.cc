#include "preprocess/model_assets.h"

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::preprocess {
namespace {

using ::testing::ElementsAre;

// In-memory model files that count their reads.
class CountingFiles : public ModelFiles {
 public:
  StatusOr<std::string> Read(std::string_view model, int64_t version,
                             std::string_view file) const override {
    absl::MutexLock lock(&mu_);
    ++reads_;
    auto it =
        files_.find(std::string(model) + "/" + std::to_string(version) + "/" + std::string(file));
    if (it == files_.end()) return absl::NotFoundError("no such file");
    return it->second;
  }
  void Set(const std::string& path, std::string text) {
    absl::MutexLock lock(&mu_);
    files_[path] = std::move(text);
  }
  int reads() const {
    absl::MutexLock lock(&mu_);
    return reads_;
  }

 private:
  mutable absl::Mutex mu_;
  mutable int reads_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, std::string> files_ ABSL_GUARDED_BY(mu_);
};

::inference::ModelConfig AssetsConfig(const std::string& model) {
  ::inference::ModelConfig config;
  config.set_name(model);
  config.set_max_batch_size(4);
  config.add_input()->set_name("image");
  auto* output = config.add_output();
  output->set_name("scores");
  output->set_label_filename("labels.txt");
  return config;
}

constexpr char kPipeline[] =
    R"({"image": {"resize": {"shorter_side": 8}}, "output": {"top_k": 2}})";

class ModelAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_.Set("m/0/pipeline.json", kPipeline);
    files_.Set("m/0/labels.txt", "cat\ndog\n");
    files_.Set("plain/0/labels.txt", "a\nb\nc");
  }
  ModelAssets Load(const std::string& model) {
    return LoadModelAssets(AssetsConfig(model), files_, 1);
  }

  CountingFiles files_;
};

TEST_F(ModelAssetsTest, ParsesPipelineAndLabels) {
  const ModelAssets assets = Load("m");
  ASSERT_TRUE(assets.image.ok()) << assets.image.status();
  EXPECT_EQ(assets.image->version, 1);
  EXPECT_EQ(assets.image->spec.image.input, "image");
  EXPECT_EQ(assets.image->spec.output.output, "scores");
  EXPECT_TRUE(assets.image->batched);
  EXPECT_THAT(assets.image->labels, ElementsAre("cat", "dog"));
}

TEST_F(ModelAssetsTest, AVersionsOwnPipelineWinsAndTheDigestFollowsTheFiles) {
  const std::string digest = AssetsDigest(AssetsConfig("m"), files_, 1);
  EXPECT_EQ(AssetsDigest(AssetsConfig("m"), files_, 1), digest);  // the same files: the same digest
  files_.Set("m/1/pipeline.json",
             R"({"image": {"resize": {"shorter_side": 8}}, "output": {"top_k": 1}})");
  const std::string with_own = AssetsDigest(AssetsConfig("m"), files_, 1);
  EXPECT_NE(with_own, digest);
  EXPECT_EQ(Load("m").image->spec.output.top_k, 1);
  files_.Set("m/0/labels.txt", "lion\ntiger\n");
  EXPECT_NE(AssetsDigest(AssetsConfig("m"), files_, 1), with_own);
  EXPECT_THAT(Load("m").image->labels, ElementsAre("lion", "tiger"));
}

TEST_F(ModelAssetsTest, ModelWithoutPipelineStillHasLabels) {
  const ModelAssets assets = Load("plain");
  EXPECT_TRUE(absl::IsInvalidArgument(assets.image.status())) << assets.image.status();
  EXPECT_TRUE(core::IsNoImagePipeline(assets.image.status()));
  auto labels = assets.LabelsOf("scores");
  ASSERT_TRUE(labels.ok());
  EXPECT_THAT(**labels, ElementsAre("a", "b", "c"));
  auto none = assets.LabelsOf("other");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE((*none)->empty());
}

TEST_F(ModelAssetsTest, BrokenFilesAreServerErrors) {
  files_.Set("m/0/pipeline.json", "{not json");
  const ModelAssets assets = Load("m");
  EXPECT_TRUE(absl::IsInternal(assets.image.status())) << assets.image.status();
  EXPECT_FALSE(core::IsNoImagePipeline(assets.image.status()));
}

TEST_F(ModelAssetsTest, ClassificationUsesTheLabelsInPlace) {
  const ModelAssets assets = Load("plain");
  auto labels = assets.LabelsOf("scores");
  ASSERT_TRUE(labels.ok());
  EXPECT_EQ(*labels, &*assets.labels.at("scores"));  // a view into the assets, never a copy
  EXPECT_TRUE(CheckClassifications(assets, {{"scores", 2}}).ok());
  core::InferenceResponse response;
  auto scores = core::MakeOwnedTensor("scores", core::DataType::kFp32, {1, 3}, 12);
  const float values[] = {0.1f, 0.7f, 0.2f};
  std::memcpy(scores.writable.data(), values, sizeof(values));
  response.outputs.push_back(scores.tensor);
  ASSERT_TRUE(ApplyClassifications(assets, {{"scores", 2}}, response).ok());
  ASSERT_EQ(response.outputs.size(), 1u);
  EXPECT_EQ(response.outputs[0].dtype, core::DataType::kBytes);
  EXPECT_EQ(response.outputs[0].shape, (core::Shape{1, 2}));
}

TEST_F(ModelAssetsTest, AnUnreadableLabelFileFailsTheClassificationCheck) {
  ::inference::ModelConfig config = AssetsConfig("m");
  config.mutable_output(0)->set_label_filename("missing.txt");
  const ModelAssets assets = LoadModelAssets(config, files_, 1);
  EXPECT_FALSE(CheckClassifications(assets, {{"scores", 1}}).ok());
  EXPECT_TRUE(CheckClassifications(assets, {}).ok());
}

}  // namespace
}  // namespace inferd::preprocess
