// Reload, rollback, unload and poll behaviour of ModelManager, on FakeBackend and real folders.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "lifecycle/model_manager.h"
#include "repository/model_config.h"
#include "testing/fake_backend.h"
#include "testing/identity_backend.h"

namespace inferd::lifecycle {
namespace {

namespace fs = std::filesystem;

class ModelReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("inferd_reload_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void WriteModel(const std::string& model, int version, const std::string& content) {
    fs::create_directories(root_ / model / std::to_string(version));
    std::ofstream(root_ / model / std::to_string(version) / "model.onnx") << content;
  }
  void WriteConfig(const std::string& model, const std::string& text) {
    std::ofstream(root_ / model / "config.pbtxt") << text;
  }
  ManagerOptions Options() const { return {{root_}, true, 4, 2, 1}; }

  static core::ModelSignature Signature() {
    core::ModelSignature sig;
    sig.inputs.push_back({"IN", core::DataType::kFp32, {-1, 4}});
    sig.outputs.push_back({"OUT", core::DataType::kFp32, {-1, 4}});
    return sig;
  }
  const core::RepositoryEntry* Row(const std::vector<core::RepositoryEntry>& index,
                                   const std::string& version) {
    for (const auto& row : index) {
      if (row.version == version) return &row;
    }
    return nullptr;
  }

  fs::path root_;
  std::shared_ptr<backend::testing::Gate> gate_;
  backend::testing::FakeBackend backend_{Signature()};
  std::unique_ptr<backend::BackendRegistry> backends_ = backend::testing::RegistryWith(backend_);
};

TEST_F(ModelReloadTest, ReloadKeepsUnchangedVersionsAndReplacesChangedOnes) {
  WriteModel("m", 1, "weights-a");
  ModelManager manager(*backends_, Options());
  ASSERT_TRUE(manager.LoadAll().ok());
  // Raw pointers and digests only: holding a handle would make the unload wait for us.
  const ModelVersion* first = manager.Get("m", 0)->get();
  const std::string first_sha = first->artifact().model_sha256;
  EXPECT_EQ(first_sha.size(), 64u);

  ASSERT_TRUE(manager.Load("m", std::nullopt).ok());
  EXPECT_EQ(manager.Get("m", 0)->get(), first) << "unchanged version was reloaded";

  WriteModel("m", 1, "weights-b");
  ASSERT_TRUE(manager.Load("m", std::nullopt).ok());
  auto second = manager.Get("m", 0);
  ASSERT_TRUE(second.ok());
  EXPECT_NE((*second)->artifact().model_sha256, first_sha);
}

TEST_F(ModelReloadTest, FailedReloadKeepsTheServingVersionAndReportsWhy) {
  WriteModel("m", 1, "weights-a");
  ModelManager manager(*backends_, Options());
  ASSERT_TRUE(manager.LoadAll().ok());
  const ModelVersion* serving = manager.Get("m", 0)->get();

  WriteModel("m", 1, "corrupt bytes");
  const Status corrupt = manager.Load("m", std::nullopt);
  EXPECT_FALSE(corrupt.ok());
  EXPECT_EQ(manager.Get("m", 0)->get(), serving);
  auto index = manager.Index(false);
  ASSERT_NE(Row(index, "1"), nullptr);
  EXPECT_EQ(Row(index, "1")->state, "READY");
  EXPECT_NE(Row(index, "1")->reason.find("reload failed"), std::string::npos);
  EXPECT_NE(Row(index, "1")->reason.find("cannot parse"), std::string::npos);
  EXPECT_TRUE(manager.AllReady());

  // A broken new version (the policy selects only it) leaves version 1 serving.
  WriteModel("m", 1, "weights-a");
  ASSERT_TRUE(manager.Load("m", std::nullopt).ok());
  serving = manager.Get("m", 0)->get();
  WriteModel("m", 2, "corrupt v2");
  EXPECT_FALSE(manager.Load("m", std::nullopt).ok());
  EXPECT_EQ(manager.Get("m", 0)->get(), serving);
  EXPECT_EQ(Row(manager.Index(false), "2")->state, "UNAVAILABLE");
  EXPECT_TRUE(manager.AllReady());
  fs::remove_all(root_ / "m" / "2");

  WriteConfig("m", "max_batch_size: 4\nno_such_field: 1\n");
  EXPECT_FALSE(manager.Load("m", std::nullopt).ok());
  EXPECT_EQ(manager.Get("m", 0)->get(), serving);
  EXPECT_NE(Row(manager.Index(false), "1")->reason.find("config.pbtxt:2"), std::string::npos);
}

TEST_F(ModelReloadTest, NewVersionTakesOverThenRollbackPinsThePreviousOne) {
  WriteModel("m", 1, "v1");
  ModelManager manager(*backends_, Options());
  ASSERT_TRUE(manager.LoadAll().ok());
  WriteModel("m", 2, "v2");
  ASSERT_TRUE(manager.Load("m", std::nullopt).ok());
  EXPECT_EQ((*manager.Get("m", 0))->version(), 2);
  EXPECT_EQ(Row(manager.Index(false), "1")->state, "UNAVAILABLE");
  EXPECT_EQ(Row(manager.Index(false), "1")->reason, "unloaded");

  // Rollback through the load API's config override: pin version 1.
  auto pinned = repository::ParseConfigJson(
      R"({"max_batch_size": 4, "version_policy": {"specific": {"versions": [1]}}})");
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  ASSERT_TRUE(manager.Load("m", *pinned).ok());
  EXPECT_EQ((*manager.Get("m", 0))->version(), 1);
  EXPECT_EQ(manager.ReadyVersions("m"), (std::vector<int64_t>{1}));
  EXPECT_EQ(Row(manager.Index(false), "2")->state, "UNAVAILABLE");
}

TEST_F(ModelReloadTest, UnloadWaitsForInFlightRequestsWhichSucceed) {
  auto gate = std::make_shared<backend::testing::Gate>();
  backend::testing::FakeBackend gated(Signature(), gate);
  WriteModel("m", 1, "v1");
  auto gated_backends = backend::testing::RegistryWith(gated);
  ModelManager manager(*gated_backends, Options());
  ASSERT_TRUE(manager.LoadAll().ok());

  std::promise<StatusOr<core::InferenceResponse>> result;
  {
    auto handle = manager.Get("m", 0);
    ASSERT_TRUE(handle.ok());
    auto request = std::make_unique<core::InferenceRequest>();
    request->model_name = "m";
    request->inputs.push_back(
        core::MakeOwnedTensor("IN", core::DataType::kFp32, {1, 4}, 16).tensor);
    (*handle)->scheduler().Enqueue(std::move(request), [&result, keep = *handle](auto response) {
      result.set_value(std::move(response));
    });
  }
  gate->AwaitWaiting(1);  // the request is executing
  auto unloaded = std::async(std::launch::async, [&] { return manager.Unload("m"); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (manager.Get("m", 1).ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();  // until the unload has taken the version out of service
  }
  EXPECT_NE(manager.Get("m", 1).status().code(), absl::StatusCode::kOk);
  gate->Open();
  ASSERT_TRUE(unloaded.get().ok());
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready)
      << "unload returned before its in-flight request completed";
  EXPECT_TRUE(future.get().ok());
  EXPECT_TRUE(manager.AllReady()) << "an unloaded model must not count against readiness";
}

TEST_F(ModelReloadTest, PollAppliesChangesAndLeavesUnchangedModelsAlone) {
  WriteModel("a", 1, "a1");
  WriteModel("b", 1, "b1");
  ModelManager manager(*backends_, Options());
  ASSERT_TRUE(manager.LoadAll().ok());
  const ModelVersion* a = manager.Get("a", 0)->get();

  WriteModel("b", 2, "b2");
  WriteModel("c", 1, "c1");
  manager.Poll();
  EXPECT_EQ(manager.Get("a", 0)->get(), a);
  EXPECT_EQ((*manager.Get("b", 0))->version(), 2);
  EXPECT_TRUE(manager.Get("c", 0).ok());

  fs::remove_all(root_ / "a");
  manager.Poll();
  EXPECT_EQ(manager.Get("a", 0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(manager.AllReady());
}

TEST_F(ModelReloadTest, LoadGenerationChangesAtEveryReloadEvenOfAnUnchangedVersion) {
  WriteModel("m", 1, "weights-a");
  ModelManager manager(*backends_, Options());
  ASSERT_TRUE(manager.LoadAll().ok());
  const ModelVersion* serving = manager.Get("m", 0)->get();
  auto first = manager.Resolve("m", 0);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(manager.Resolve("m", 1)->generation, first->generation);

  // An explicit reload keeps the unchanged version, yet its files beside it may have changed.
  ASSERT_TRUE(manager.Load("m", std::nullopt).ok());
  EXPECT_EQ(manager.Get("m", 0)->get(), serving);
  const uint64_t second = manager.Resolve("m", 0)->generation;
  EXPECT_GT(second, first->generation);

  // Polling: nothing changed, nothing reloaded; an edited file beside the model reloads it.
  manager.Poll();
  EXPECT_EQ(manager.Resolve("m", 0)->generation, second);
  std::ofstream(root_ / "m" / "labels.txt") << "cat\n";
  manager.Poll();
  EXPECT_EQ(manager.Get("m", 0)->get(), serving);
  const uint64_t third = manager.Resolve("m", 0)->generation;
  EXPECT_GT(third, second);

  // A failed reload leaves the version serving its old load, generation included.
  WriteModel("m", 1, "corrupt bytes");
  EXPECT_FALSE(manager.Load("m", std::nullopt).ok());
  EXPECT_EQ(manager.Resolve("m", 0)->generation, third);

  EXPECT_EQ(manager.Resolve("nope", 0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(manager.Resolve("m", 5).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ModelReloadTest, NamesThatLeaveTheRepositoryAreRefused) {
  ModelManager manager(*backends_, Options());
  for (const char* name : {"..", "../etc", "a/b", ""}) {
    EXPECT_EQ(manager.Load(name, std::nullopt).code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(manager.Unload(name).code(), absl::StatusCode::kInvalidArgument) << name;
  }
  EXPECT_EQ(manager.Load("absent", std::nullopt).code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace inferd::lifecycle
