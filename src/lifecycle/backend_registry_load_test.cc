// A backend registered only here (testing/identity_backend) loads models through the real
// repository path: scan, config.pbtxt, registry lookup, default model file, auto-complete,
// instances, scheduler, inference. Proves that adding a backend needs no change outside its
// folder and its registration line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <future>
#include <random>

#include "lifecycle/model_manager.h"
#include "testing/fake_backend.h"
#include "testing/identity_backend.h"

namespace inferd::lifecycle {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class BackendRegistryLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("inferd_registry_load_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    // ONNX Runtime's names first (a fake runtime), so "identity" is never the default.
    ASSERT_TRUE(backend::testing::RegisterBorrowedAsOnnx(backends_, onnx_).ok());
    ASSERT_TRUE(backend::testing::RegisterIdentityBackend(backends_).ok());
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const fs::path& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  std::string Reason(const ModelManager& manager, const std::string& model) {
    for (const auto& entry : manager.Index(false)) {
      if (entry.name == model) return entry.reason;
    }
    return "(not in the index)";
  }

  fs::path root_;
  backend::testing::FakeBackend onnx_{core::ModelSignature{}};
  backend::BackendRegistry backends_;
};

StatusOr<core::InferenceResponse> Infer(const ModelHandle& handle, std::vector<float> values) {
  auto request = std::make_unique<core::InferenceRequest>();
  request->model_name = handle->name();
  const size_t bytes = values.size() * sizeof(float);
  auto input = core::MakeOwnedTensor("INPUT0", core::DataType::kFp32,
                                     {1, static_cast<int64_t>(values.size())}, bytes);
  std::memcpy(input.writable.data(), values.data(), bytes);
  request->inputs.push_back(std::move(input.tensor));
  std::promise<StatusOr<core::InferenceResponse>> result;
  handle->scheduler().Enqueue(std::move(request), [&result, keep = handle](auto response) {
    result.set_value(std::move(response));
  });
  auto future = result.get_future();
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    return absl::DeadlineExceededError("no response within 10 s");
  }
  return future.get();
}

TEST_F(BackendRegistryLoadTest, TestBackendLoadsAndServesThroughTheRepository) {
  Write("echo/config.pbtxt", "backend: \"identity\"\n");
  Write("echo/1/model.identity", "FP32 -1 4\n");
  ModelManager manager(backends_, {{root_}, true, 4, 1, 1});
  ASSERT_TRUE(manager.LoadAll().ok());
  auto handle = manager.Get("echo", 0);
  ASSERT_TRUE(handle.ok()) << handle.status();
  const auto& config = (*handle)->config();
  EXPECT_EQ(config.platform(), "inferd_identity");
  EXPECT_EQ(config.default_model_filename(), "model.identity");
  EXPECT_EQ(config.max_batch_size(), 4);  // auto-completed from the identity model's signature
  ASSERT_EQ(config.input_size(), 1);
  EXPECT_EQ(config.input(0).name(), "INPUT0");

  auto response = Infer(*handle, {1.5f, -2, 3, 4});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->outputs.size(), 1u);
  EXPECT_EQ(response->outputs[0].name, "OUTPUT0");
  std::vector<float> out(4);
  ASSERT_EQ(response->outputs[0].data.size(), 16u);
  std::memcpy(out.data(), response->outputs[0].data.data(), 16);
  EXPECT_THAT(out, ::testing::ElementsAre(1.5f, -2, 3, 4));
}

TEST_F(BackendRegistryLoadTest, ModelWithoutConfigIsFoundByItsFileAndPlatformWorks) {
  Write("detected/1/model.identity", "INT32 -1 2\n");  // no config.pbtxt at all
  Write("by_platform/config.pbtxt", "platform: \"inferd_identity\"\n");
  Write("by_platform/1/model.identity", "FP32 -1 4\n");
  Write("own_file/config.pbtxt", "backend: \"identity\" default_model_filename: \"net.id\"\n");
  Write("own_file/1/net.id", "FP32 -1 4\n");
  ModelManager manager(backends_, {{root_}, true, 4, 1, 1});
  ASSERT_TRUE(manager.LoadAll().ok());
  for (const char* model : {"detected", "by_platform", "own_file"}) {
    auto handle = manager.Get(model, 0);
    ASSERT_TRUE(handle.ok()) << model << ": " << handle.status();
    EXPECT_EQ((*handle)->config().backend(), "identity") << model;
  }
  EXPECT_TRUE(manager.AllReady());
}

TEST_F(BackendRegistryLoadTest, UnknownBackendFailsThatModelNamingTheKnownOnes) {
  Write("py/config.pbtxt", "backend: \"python\"\n");
  Write("py/1/model.py", "print()\n");
  Write("trt/config.pbtxt", "platform: \"tensorrt_plan\"\n");
  Write("trt/1/model.plan", "x\n");
  Write("echo/1/model.identity", "FP32 -1 4\n");
  ModelManager manager(backends_, {{root_}, true, 4, 1, 1});
  ASSERT_TRUE(manager.LoadAll().ok());
  EXPECT_TRUE(manager.Get("echo", 0).ok());  // the others still load
  EXPECT_FALSE(manager.Get("py", 0).ok());
  EXPECT_THAT(Reason(manager, "py"), HasSubstr("backend 'python' is not supported"));
  EXPECT_THAT(Reason(manager, "py"), HasSubstr("backend 'identity' (platform 'inferd_identity')"));
  EXPECT_THAT(Reason(manager, "trt"), HasSubstr("platform 'tensorrt_plan' is not supported"));
  EXPECT_THAT(Reason(manager, "trt"), HasSubstr("backend 'onnxruntime'"));
}

TEST_F(BackendRegistryLoadTest, MissingDefaultFileNamesTheBackendsFile) {
  Write("echo/config.pbtxt", "backend: \"identity\"\n");
  Write("echo/1/model.onnx", "fake\n");  // the wrong backend's file
  ModelManager manager(backends_, {{root_}, true, 4, 1, 1});
  ASSERT_TRUE(manager.LoadAll().ok());
  EXPECT_FALSE(manager.Get("echo", 0).ok());
  EXPECT_THAT(Reason(manager, "echo"), HasSubstr("model.identity"));
}

}  // namespace
}  // namespace inferd::lifecycle
