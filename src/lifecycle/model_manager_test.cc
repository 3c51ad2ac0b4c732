#include "lifecycle/model_manager.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "testing/fake_backend.h"
#include "testing/identity_backend.h"

namespace inferd::lifecycle {
namespace {

namespace fs = std::filesystem;

class ModelManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("inferd_manager_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void AddVersion(const std::string& model, int version) {
    fs::create_directories(root_ / model / std::to_string(version));
    std::ofstream(root_ / model / std::to_string(version) / "model.onnx") << "fake";
  }
  void WriteConfig(const std::string& model, const std::string& text) {
    fs::create_directories(root_ / model);
    std::ofstream(root_ / model / "config.pbtxt") << text;
  }

  static core::ModelSignature Signature() {
    core::ModelSignature sig;
    sig.inputs.push_back({"IN", core::DataType::kFp32, {-1, 4}});
    sig.outputs.push_back({"OUT", core::DataType::kFp32, {-1, 4}});
    return sig;
  }

  fs::path root_;
  backend::testing::FakeBackend backend_{Signature()};
  std::unique_ptr<backend::BackendRegistry> backends_ = backend::testing::RegistryWith(backend_);
};

TEST_F(ModelManagerTest, LoadsLatestVersionAndReportsBrokenModels) {
  AddVersion("good", 1);
  AddVersion("good", 2);
  WriteConfig("bad_config", "name: \"bad_config\"\nno_such_field: 1\n");
  AddVersion("bad_config", 1);
  AddVersion("no_file", 1);
  fs::remove(root_ / "no_file" / "1" / "model.onnx");

  ModelManager manager(*backends_, {{root_}, true, 4, 2, 2});
  ASSERT_TRUE(manager.LoadAll().ok());

  auto latest = manager.Get("good", 0);
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ((*latest)->version(), 2);
  EXPECT_EQ((*latest)->config().max_batch_size(), 4);  // auto-completed: the model batches
  EXPECT_EQ(manager.Get("good", 1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(manager.Get("nope", 0).status().code(), absl::StatusCode::kNotFound);

  auto bad = manager.Get("bad_config", 0);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(bad.status().message().find("config.pbtxt:2"), std::string::npos) << bad.status();
  EXPECT_EQ(manager.Get("no_file", 1).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(manager.AllReady());

  auto index = manager.Index(false);
  ASSERT_EQ(index.size(), 3u);
  EXPECT_EQ(index[0].name, "bad_config");
  EXPECT_EQ(index[0].state, "UNAVAILABLE");
  EXPECT_EQ(index[1].name, "good");
  EXPECT_EQ(index[1].version, "2");
  EXPECT_EQ(index[1].state, "READY");
  EXPECT_EQ(index[2].state, "UNAVAILABLE");
  EXPECT_NE(index[2].reason.find("not found"), std::string::npos) << index[2].reason;
  EXPECT_EQ(manager.Index(true).size(), 1u);
}

TEST_F(ModelManagerTest, AllReadyWhenEveryModelLoads) {
  AddVersion("a", 1);
  WriteConfig("b", "version_policy { all {} }\n");
  AddVersion("b", 1);
  AddVersion("b", 3);
  ModelManager manager(*backends_, {{root_}, true, 4, 1, 1});
  ASSERT_TRUE(manager.LoadAll().ok());
  EXPECT_TRUE(manager.AllReady());
  EXPECT_EQ(manager.ReadyVersions("b"), (std::vector<int64_t>{1, 3}));
  manager.UnloadAll();
  EXPECT_FALSE(manager.Get("a", 0).ok());
}

TEST_F(ModelManagerTest, MissingRepositoryIsAnError) {
  ModelManager manager(*backends_, {{root_ / "missing"}, true, 4, 1, 1});
  EXPECT_FALSE(manager.LoadAll().ok());
}

}  // namespace
}  // namespace inferd::lifecycle
