#include "preprocess/model_assets.h"

#include <atomic>
#include <map>
#include <string>
#include <thread>
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

// A facade serving model "m" version 1 (and "plain", without a pipeline) whose load generation
// the test moves, as a reload would.
class FakeService : public core::InferenceService {
 public:
  bool IsLive() const override { return true; }
  bool IsReady() const override { return true; }
  core::ServerMetadata GetServerMetadata() const override { return {}; }
  Status ModelReady(std::string_view, int64_t) const override { return absl::OkStatus(); }
  StatusOr<core::ModelMetadata> GetModelMetadata(std::string_view, int64_t) const override {
    return absl::UnimplementedError("");
  }
  StatusOr<core::LoadedVersion> ResolveLoadedVersion(std::string_view model,
                                                     int64_t version) const override {
    if (model != "m" && model != "plain") return absl::NotFoundError("unknown model");
    if (version != 0 && version != 1) return absl::NotFoundError("unknown version");
    return core::LoadedVersion{1, generation.load()};
  }
  StatusOr<::inference::ModelConfig> GetModelConfig(std::string_view model,
                                                    int64_t) const override {
    ::inference::ModelConfig config;
    config.set_name(std::string(model));
    config.set_max_batch_size(4);
    config.add_input()->set_name("image");
    auto* output = config.add_output();
    output->set_name("scores");
    output->set_label_filename("labels.txt");
    return config;
  }
  std::vector<core::RepositoryEntry> RepositoryIndex(bool) const override { return {}; }
  StatusOr<std::vector<core::ModelStatistics>> GetModelStatistics(std::string_view,
                                                                  int64_t) const override {
    return std::vector<core::ModelStatistics>{};
  }
  void LoadModel(core::LoadModelRequest, core::StatusCallback done) override {
    done(absl::OkStatus());
  }
  void UnloadModel(std::string, core::StatusCallback done) override { done(absl::OkStatus()); }
  void Infer(std::unique_ptr<core::InferenceRequest>, core::ResponseCallback done) override {
    std::move(done)(absl::UnimplementedError(""));
  }

  std::atomic<uint64_t> generation{1};
};

constexpr char kPipeline[] =
    R"({"image": {"resize": {"shorter_side": 8}}, "output": {"top_k": 2}})";

class ModelAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_.Set("m/0/pipeline.json", kPipeline);
    files_.Set("m/0/labels.txt", "cat\ndog\n");
    files_.Set("plain/0/labels.txt", "a\nb\nc");
  }

  FakeService service_;
  CountingFiles files_;
  ModelAssetCache cache_{service_, files_};
};

TEST_F(ModelAssetsTest, ParsesPipelineAndLabelsOnce) {
  auto first = cache_.Get("m", 0);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE((*first)->image.ok()) << (*first)->image.status();
  EXPECT_EQ((*first)->image->version, 1);
  EXPECT_EQ((*first)->image->spec.image.input, "image");
  EXPECT_EQ((*first)->image->spec.output.output, "scores");
  EXPECT_TRUE((*first)->image->batched);
  EXPECT_THAT((*first)->image->labels, ElementsAre("cat", "dog"));
  const int reads = files_.reads();
  for (int i = 0; i < 10; ++i) {
    auto again = cache_.Get("m", i % 2);  // version 0 and 1 are the same load
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->get(), first->get());  // the same entry: a hit
  }
  EXPECT_EQ(files_.reads(), reads);
}

TEST_F(ModelAssetsTest, EditedFilesAreSeenOnlyAfterAReload) {
  ASSERT_TRUE(cache_.Get("m", 1).ok());
  files_.Set("m/0/labels.txt", "lion\ntiger\n");
  files_.Set("m/1/pipeline.json",  // a version's own pipeline wins over the model's
             R"({"image": {"resize": {"shorter_side": 8}}, "output": {"top_k": 1}})");
  auto before = cache_.Get("m", 1);
  ASSERT_TRUE(before.ok() && (*before)->image.ok());
  EXPECT_THAT((*before)->image->labels, ElementsAre("cat", "dog"));
  EXPECT_EQ((*before)->image->spec.output.top_k, 2);

  service_.generation = 7;  // the model was reloaded
  auto after = cache_.Get("m", 1);
  ASSERT_TRUE(after.ok() && (*after)->image.ok());
  EXPECT_EQ((*after)->loaded.generation, 7u);
  EXPECT_THAT((*after)->image->labels, ElementsAre("lion", "tiger"));
  EXPECT_EQ((*after)->image->spec.output.top_k, 1);
  // The old entry is intact for requests still holding it.
  EXPECT_THAT((*before)->image->labels, ElementsAre("cat", "dog"));
}

TEST_F(ModelAssetsTest, ModelWithoutPipelineStillHasLabels) {
  auto assets = cache_.Get("plain", 0);
  ASSERT_TRUE(assets.ok());
  EXPECT_TRUE(absl::IsInvalidArgument((*assets)->image.status())) << (*assets)->image.status();
  auto labels = (*assets)->LabelsOf("scores");
  ASSERT_TRUE(labels.ok());
  EXPECT_THAT(**labels, ElementsAre("a", "b", "c"));
  auto none = (*assets)->LabelsOf("other");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE((*none)->empty());
}

TEST_F(ModelAssetsTest, BrokenFilesAreServerErrorsCachedUntilReload) {
  files_.Set("m/0/pipeline.json", "{not json");
  auto assets = cache_.Get("m", 0);
  ASSERT_TRUE(assets.ok());
  EXPECT_TRUE(absl::IsInternal((*assets)->image.status())) << (*assets)->image.status();
  const int reads = files_.reads();
  ASSERT_TRUE(cache_.Get("m", 0).ok());
  EXPECT_EQ(files_.reads(), reads);  // a broken declaration is not re-read per request either

  files_.Set("m/0/pipeline.json", kPipeline);
  service_.generation = 2;
  auto fixed = cache_.Get("m", 0);
  ASSERT_TRUE(fixed.ok());
  EXPECT_TRUE((*fixed)->image.ok()) << (*fixed)->image.status();
}

TEST_F(ModelAssetsTest, UnknownModelIsTheFacadesError) {
  EXPECT_TRUE(absl::IsNotFound(cache_.Get("nope", 0).status()));
  EXPECT_TRUE(absl::IsNotFound(cache_.Get("m", 3).status()));
}

TEST_F(ModelAssetsTest, ConcurrentReadersAndReloadsSeeConsistentEntries) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        auto assets = cache_.Get("m", 0);
        if (!assets.ok() || !(*assets)->image.ok() || (*assets)->image->labels.size() != 2) {
          ++failures;
        }
      }
    });
  }
  for (uint64_t g = 2; g < 200; ++g) service_.generation = g;
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto last = cache_.Get("m", 0);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*last)->loaded.generation, 199u);
}

}  // namespace
}  // namespace inferd::preprocess
