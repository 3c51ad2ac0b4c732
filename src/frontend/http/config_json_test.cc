#include "frontend/http/config_json.h"

#include "frontend/http/json_parse.h"
#include "gtest/gtest.h"

namespace inferd::frontend::http {
namespace {

TEST(ConfigJsonTest, PrintsTritonStyle) {
  ::inference::ModelConfig config;
  config.set_name("m");
  config.set_max_batch_size(8);
  auto* input = config.add_input();
  input->set_name("x");
  input->set_data_type(::inference::TYPE_FP32);
  input->add_dims(-1);
  input->add_dims(16);
  config.mutable_dynamic_batching()->set_max_queue_delay_microseconds(100);
  config.mutable_version_policy()->mutable_specific()->add_versions(3);
  auto json = ModelConfigToJson(config);
  ASSERT_TRUE(json.ok()) << json.status();
  auto doc = ParseJson(*json);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(std::string((*doc)["name"].GetString()), "m");
  EXPECT_EQ((*doc)["max_batch_size"].GetInt(), 8);
  const auto& dims = (*doc)["input"][0]["dims"];
  ASSERT_TRUE(dims[0].IsInt64()) << *json;
  EXPECT_EQ(dims[0].GetInt64(), -1);
  EXPECT_EQ(dims[1].GetInt64(), 16);
  EXPECT_EQ(std::string((*doc)["input"][0]["data_type"].GetString()), "TYPE_FP32");
  EXPECT_TRUE((*doc)["dynamic_batching"]["max_queue_delay_microseconds"].IsUint64());
  EXPECT_EQ((*doc)["version_policy"]["specific"]["versions"][0].GetInt64(), 3);
  EXPECT_TRUE(doc->HasMember("platform"));  // primitive fields are always printed
}

}  // namespace
}  // namespace inferd::frontend::http
