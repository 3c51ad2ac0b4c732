#include "core/ensemble_graph.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace inferd::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

::inference::ModelConfig GraphConfig(const std::string& steps) {
  ::inference::ModelConfig config;
  const std::string text = R"(name: "ens" platform: "ensemble" max_batch_size: 4
    input { name: "IN" data_type: TYPE_FP32 dims: [ 4 ] }
    output { name: "OUT" data_type: TYPE_FP32 dims: [ 4 ] }
    ensemble_scheduling { )" +
                           steps + " }";
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
  return config;
}

constexpr char kTwoSteps[] = R"(
  step { model_name: "b" model_version: 2 input_map { key: "X" value: "mid" }
         output_map { key: "Y" value: "OUT" } }
  step { model_name: "a" model_version: -1 input_map { key: "X" value: "IN" }
         output_map { key: "Y" value: "mid" } })";

TEST(EnsembleGraphTest, OrdersStepsByTheirData) {
  auto graph = BuildEnsembleGraph(GraphConfig(kTwoSteps));
  ASSERT_TRUE(graph.ok()) << graph.status();
  EXPECT_THAT(graph->order, ElementsAre(1u, 0u));
  EXPECT_EQ(graph->steps[0].version, 2);
  EXPECT_EQ(graph->steps[1].version, 0);  // -1: the latest
  EXPECT_EQ(EnsembleStepName(*graph, 0), "step 1 (model 'b')");
}

TEST(EnsembleGraphTest, RefusesBrokenDataflow) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "has no step"},
      {R"(step { model_name: "a" input_map { key: "X" value: "nope" }
               output_map { key: "Y" value: "OUT" } })",
       "reads tensor 'nope'"},
      {R"(step { model_name: "a" input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "other" } })",
       "output 'OUT' is not written"},
      {R"(step { model_name: "a" input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "IN" } })",
       "is an ensemble input"},
      {R"(step { model_name: "ens" input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "OUT" } })",
       "names the ensemble itself"},
      {R"(step { model_name: "a" model_version: -2 input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "OUT" } })",
       "model_version -2"},
      {R"(step { model_name: "a" output_map { key: "Y" value: "OUT" } })", "has no input_map"},
      {R"(step { model_name: "a" input_map { key: "X" value: "t2" }
               output_map { key: "Y" value: "t1" } }
          step { model_name: "b" input_map { key: "X" value: "t1" }
               output_map { key: "Y" value: "t2" } }
          step { model_name: "c" input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "OUT" } })",
       "part of a cycle"},
      {R"(step { model_name: "a" input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "OUT" } }
          step { model_name: "b" input_map { key: "X" value: "IN" }
               output_map { key: "Y" value: "OUT" } })",
       "step 1 already writes"},
  };
  for (const auto& [steps, want] : cases) {
    auto graph = BuildEnsembleGraph(GraphConfig(steps));
    ASSERT_FALSE(graph.ok()) << steps;
    EXPECT_EQ(graph.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(graph.status().message(), HasSubstr(want)) << steps;
  }
}

}  // namespace
}  // namespace inferd::core
