#include "backend/libtorch/torch_settings.h"

#include <gtest/gtest.h>

#include <string>

namespace inferd::backend::libtorch {
namespace {

::inference::ModelConfig WithParameter(const std::string& key, const std::string& value) {
  ::inference::ModelConfig config;
  (*config.mutable_parameters())[key].set_string_value(value);
  return config;
}

TEST(TorchSettingsTest, DefaultsFollowTriton) {
  auto settings = ParseTorchSettings(::inference::ModelConfig());
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->execution.intra_op_threads, 0);
  EXPECT_EQ(settings->inter_op_threads, 0);
  EXPECT_TRUE(settings->execution.inference_mode);
  EXPECT_TRUE(settings->execution.optimized_execution);
  EXPECT_FALSE(settings->execution.jit_executor.has_value());
  EXPECT_FALSE(settings->weight_sharing);
}

TEST(TorchSettingsTest, ReadsTritonParameters) {
  ::inference::ModelConfig config;
  auto& p = *config.mutable_parameters();
  p["INTRA_OP_THREAD_COUNT"].set_string_value("3");
  p["INTER_OP_THREAD_COUNT"].set_string_value("2");
  p["INFERENCE_MODE"].set_string_value("false");
  p["DISABLE_OPTIMIZED_EXECUTION"].set_string_value("true");
  p["ENABLE_JIT_EXECUTOR"].set_string_value("0");
  p["ENABLE_JIT_PROFILING"].set_string_value("1");
  p["ENABLE_WEIGHT_SHARING"].set_string_value("TRUE");
  p["ENABLE_CACHE_CLEANING"].set_string_value("true");
  auto settings = ParseTorchSettings(config);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->execution.intra_op_threads, 3);
  EXPECT_EQ(settings->inter_op_threads, 2);
  EXPECT_FALSE(settings->execution.inference_mode);
  EXPECT_FALSE(settings->execution.optimized_execution);
  EXPECT_EQ(settings->execution.jit_executor, false);
  EXPECT_EQ(settings->execution.jit_profiling, true);
  EXPECT_TRUE(settings->weight_sharing);
}

TEST(TorchSettingsTest, BadValuesNameTheParameter) {
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"INTRA_OP_THREAD_COUNT", "-1"},
        {"INTRA_OP_THREAD_COUNT", "many"},
        {"INTER_OP_THREAD_COUNT", "100000"},
        {"INFERENCE_MODE", "yes please"},
        {"DISABLE_CUDNN", "maybe"}}) {
    auto settings = ParseTorchSettings(WithParameter(key, value));
    ASSERT_FALSE(settings.ok()) << key << "=" << value;
    EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(settings.status().message().find(key), std::string::npos) << settings.status();
  }
}

}  // namespace
}  // namespace inferd::backend::libtorch
