#include "frontend/http/torchserve/torchserve_config_edits.h"

#include <gtest/gtest.h>

namespace inferd::frontend::http {
namespace {

::inference::ModelConfig Batching() {
  ::inference::ModelConfig config;
  config.set_name("m");
  config.set_max_batch_size(8);
  config.mutable_dynamic_batching()->add_preferred_batch_size(2);
  config.mutable_dynamic_batching()->add_preferred_batch_size(8);
  config.add_instance_group()->set_count(1);
  return config;
}

TEST(TorchServeConfigEditsTest, RegisterParametersMapOntoTheConfig) {
  auto config = Batching();
  ASSERT_TRUE(ApplyRegisterParams({3, 4, 5}, config).ok());
  ASSERT_EQ(config.instance_group_size(), 1);
  EXPECT_EQ(config.instance_group(0).count(), 3);
  EXPECT_EQ(config.max_batch_size(), 4);
  ASSERT_EQ(config.dynamic_batching().preferred_batch_size_size(), 1);  // 8 > 4 is dropped
  EXPECT_EQ(config.dynamic_batching().max_queue_delay_microseconds(), 5000u);
}

TEST(TorchServeConfigEditsTest, BatchingParametersNeedABatchingModel) {
  ::inference::ModelConfig config;
  config.set_name("m");
  EXPECT_EQ(ApplyRegisterParams({std::nullopt, 4, std::nullopt}, config).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyRegisterParams({std::nullopt, std::nullopt, 5}, config).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ApplyRegisterParams({2, 1, 0}, config).ok());  // no batching asked for
  EXPECT_EQ(config.max_batch_size(), 0);
}

}  // namespace
}  // namespace inferd::frontend::http
