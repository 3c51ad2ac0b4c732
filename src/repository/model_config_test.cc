#include "repository/model_config.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::repository {
namespace {

using ::testing::HasSubstr;

constexpr char kFullConfig[] = R"pb(
  name: "resnet"
  platform: "onnxruntime_onnx"
  max_batch_size: 8
  version_policy: { specific: { versions: [ 1, 3 ] } } input
  [ {
    name: "INPUT0"
    data_type: TYPE_FP32
    format: FORMAT_NCHW
    dims: [ 3, 224, 224 ]
  }
    , {
      name: "MASK"
      data_type: TYPE_BOOL
      dims: [ -1 ]
      optional: true
    }] output
  [ {
    name: "OUTPUT0"
    data_type: TYPE_FP32
    dims: [ 1000 ]
    label_filename: "labels.txt"
  }]
  dynamic_batching {
    preferred_batch_size: [ 4, 8 ]
    max_queue_delay_microseconds: 100
    priority_levels: 2
    default_priority_level: 1
    default_queue_policy {
      timeout_action: REJECT
      default_timeout_microseconds: 5000
      allow_timeout_override: true
      max_queue_size: 16
    }
    priority_queue_policy {
      key: 2
      value: { timeout_action: DELAY max_queue_size: 4 }
    }
  } instance_group
  [ { name: "cpu" kind: KIND_CPU count: 2 }
    , { kind: KIND_AUTO }]
  parameters {
    key: "intra_op_thread_count"
    value: { string_value: "2" }
  } model_warmup
  [ {
    name: "zeros"
    batch_size: 1
    inputs {
      key: "INPUT0"
      value: {
        data_type: TYPE_FP32
        dims: [ 3, 224, 224 ]
        zero_data: true
      }
    }
  }]
)pb";

TEST(ParseConfigText, ParsesFullTritonConfig) {
  auto config = ParseConfigText(kFullConfig, "models/resnet/config.pbtxt");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->name(), "resnet");
  EXPECT_EQ(config->max_batch_size(), 8);
  ASSERT_TRUE(config->version_policy().has_specific());
  EXPECT_THAT(config->version_policy().specific().versions(), ::testing::ElementsAre(1, 3));
  ASSERT_EQ(config->input_size(), 2);
  EXPECT_EQ(config->input(0).format(), ::inference::ModelInput::FORMAT_NCHW);
  EXPECT_THAT(config->input(0).dims(), ::testing::ElementsAre(3, 224, 224));
  EXPECT_TRUE(config->input(1).optional());
  EXPECT_EQ(config->output(0).label_filename(), "labels.txt");
  const auto& db = config->dynamic_batching();
  EXPECT_THAT(db.preferred_batch_size(), ::testing::ElementsAre(4, 8));
  EXPECT_EQ(db.priority_levels(), 2u);
  EXPECT_EQ(db.default_queue_policy().max_queue_size(), 16u);
  EXPECT_TRUE(db.default_queue_policy().allow_timeout_override());
  ASSERT_EQ(db.priority_queue_policy().count(2), 1u);
  EXPECT_EQ(db.priority_queue_policy().at(2).timeout_action(),
            ::inference::ModelQueuePolicy::DELAY);
  ASSERT_EQ(config->instance_group_size(), 2);
  EXPECT_EQ(config->instance_group(1).kind(), ::inference::ModelInstanceGroup::KIND_AUTO);
  EXPECT_EQ(config->parameters().at("intra_op_thread_count").string_value(), "2");
  ASSERT_EQ(config->model_warmup_size(), 1);
  EXPECT_TRUE(config->model_warmup(0).inputs().at("INPUT0").zero_data());
}

TEST(ParseConfigText, UnknownFieldNamesFileLineAndColumn) {
  auto config = ParseConfigText("name: \"simple\"\nmax_batch_size: 4\n    foo: 1\n",
                                "models/simple/config.pbtxt");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("models/simple/config.pbtxt:3:5: "));
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("Message type \"inference.ModelConfig\" has no field named \"foo\""));
}

TEST(ParseConfigText, BadEnumValueIsAnError) {
  auto config = ParseConfigText("input [ { name: \"x\" data_type: TYPE_FLOAT32 } ]", "c.pbtxt");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("c.pbtxt:1:"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("TYPE_FLOAT32"));
}

TEST(ParseConfigText, NonIntegerDimIsAnError) {
  auto config = ParseConfigText("input [ { name: \"x\" dims: [ \"x\" ] } ]", "c.pbtxt");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("c.pbtxt:1:"));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("integer"));
}

TEST(ParseConfigText, EmptyTextIsAnEmptyConfig) {
  auto config = ParseConfigText("", "c.pbtxt");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->name().empty());
}

TEST(ParseConfigFile, MissingFileIsNotFound) {
  auto config = ParseConfigFile(std::filesystem::path(testing::TempDir()) / "no_such.pbtxt");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
}

TEST(ParseConfigFile, FolderIsAnError) {
  auto config = ParseConfigFile(std::filesystem::path(testing::TempDir()));
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseConfigFile, ReadsAndNamesTheFile) {
  const auto path = std::filesystem::path(testing::TempDir()) / "inferd_model_config_test.pbtxt";
  {
    std::ofstream out(path);
    out << "name: \"m\"\nbogus: true\n";
  }
  auto config = ParseConfigFile(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(path.string() + ":2:1: "));
}

}  // namespace
}  // namespace inferd::repository
