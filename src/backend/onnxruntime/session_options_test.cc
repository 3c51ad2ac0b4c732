#include "backend/onnxruntime/session_options.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::backend::ort {
namespace {

using ::testing::HasSubstr;

::inference::ModelConfig WithParameter(const std::string& key, const std::string& value) {
  ::inference::ModelConfig config;
  (*config.mutable_parameters())[key].set_string_value(value);
  return config;
}

TEST(SessionSettingsTest, DefaultsAreOneThreadNoSpinningAllOptimisations) {
  auto settings = ParseSessionSettings(::inference::ModelConfig());
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->intra_op_threads, 1);
  EXPECT_EQ(settings->inter_op_threads, 1);
  EXPECT_TRUE(settings->mem_arena);
  EXPECT_FALSE(settings->intra_op_spinning);
  EXPECT_FALSE(settings->inter_op_spinning);
  EXPECT_EQ(settings->graph_level, GraphLevel::kAll);
}

TEST(SessionSettingsTest, ParsesValidParameters) {
  ::inference::ModelConfig config;
  auto& params = *config.mutable_parameters();
  params["intra_op_thread_count"].set_string_value("4");
  params["inter_op_thread_count"].set_string_value("2");
  params["enable_mem_arena"].set_string_value("false");
  params["allow_spinning"].set_string_value("1");
  params["session.inter_op.allow_spinning"].set_string_value("0");
  params["some_other_layer_parameter"].set_string_value("whatever");
  auto settings = ParseSessionSettings(config);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->intra_op_threads, 4);
  EXPECT_EQ(settings->inter_op_threads, 2);
  EXPECT_FALSE(settings->mem_arena);
  EXPECT_TRUE(settings->intra_op_spinning);
  EXPECT_FALSE(settings->inter_op_spinning);  // the specific key wins
}

TEST(SessionSettingsTest, BoolSpellings) {
  for (const char* value : {"1", "true", "TRUE", " True "}) {
    auto settings = ParseSessionSettings(WithParameter("enable_mem_arena", value));
    ASSERT_TRUE(settings.ok()) << value;
    EXPECT_TRUE(settings->mem_arena) << value;
  }
  for (const char* value : {"0", "false"}) {
    auto settings = ParseSessionSettings(WithParameter("enable_mem_arena", value));
    ASSERT_TRUE(settings.ok()) << value;
    EXPECT_FALSE(settings->mem_arena) << value;
  }
}

TEST(SessionSettingsTest, GraphLevelsFollowTriton) {
  const std::pair<int, GraphLevel> cases[] = {{-1, GraphLevel::kBasic},
                                              {0, GraphLevel::kAll},
                                              {1, GraphLevel::kExtended},
                                              {2, GraphLevel::kDisableAll}};
  for (const auto& [level, expected] : cases) {
    ::inference::ModelConfig config;
    config.mutable_optimization()->mutable_graph()->set_level(level);
    auto settings = ParseSessionSettings(config);
    ASSERT_TRUE(settings.ok()) << level;
    EXPECT_EQ(settings->graph_level, expected) << level;
  }
}

TEST(SessionSettingsTest, InvalidValuesNameTheParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {"intra_op_thread_count", "abc"},
      {"intra_op_thread_count", "-1"},
      {"inter_op_thread_count", "100000"},
      {"enable_mem_arena", "yes"},
      {"allow_spinning", "2"},
      {"session.intra_op.allow_spinning", ""},
  };
  for (const auto& [key, value] : cases) {
    auto settings = ParseSessionSettings(WithParameter(key, value));
    ASSERT_FALSE(settings.ok()) << key << "=" << value;
    EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(settings.status().message(), HasSubstr(key));
  }
}

TEST(SessionSettingsTest, InvalidGraphLevel) {
  ::inference::ModelConfig config;
  config.mutable_optimization()->mutable_graph()->set_level(3);
  auto settings = ParseSessionSettings(config);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(settings.status().message(), HasSubstr("optimization.graph.level"));
}

}  // namespace
}  // namespace inferd::backend::ort
