#include "repository/config_fields.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "repository/model_config.h"

namespace inferd::repository {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using ::testing::HasSubstr;

// Every field path a config can set and the table must decide: descends into message fields the
// table supports, stops at ignored/refused ones (they cover what is inside) and at maps.
void CollectFieldPaths(const Descriptor* message, const std::string& prefix,
                       std::set<std::string>* paths) {
  for (int i = 0; i < message->field_count(); ++i) {
    const FieldDescriptor* field = message->field(i);
    const std::string path = prefix.empty() ? field->name() : prefix + "." + field->name();
    paths->insert(path);
    const FieldRule* rule = FindFieldRule(path);
    if (rule == nullptr || rule->support != FieldSupport::kSupported) continue;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_map()) {
      CollectFieldPaths(field->message_type(), path, paths);
    }
  }
}

TEST(ConfigFieldsTest, EveryFieldOfTheProtoHasExactlyOneRule) {
  std::set<std::string> paths;
  CollectFieldPaths(::inference::ModelConfig::descriptor(), "", &paths);
  std::set<std::string> ruled;
  for (const FieldRule& rule : ConfigFieldRules()) {
    EXPECT_TRUE(ruled.insert(std::string(rule.path)).second) << "twice: " << rule.path;
    EXPECT_TRUE(paths.contains(std::string(rule.path))) << "no such field: " << rule.path;
    if (rule.support != FieldSupport::kSupported) {
      EXPECT_FALSE(rule.why.empty()) << rule.path << " must say what inferd does instead";
    }
  }
  for (const auto& path : paths) EXPECT_TRUE(ruled.contains(path)) << "no rule for " << path;
}

TEST(ConfigFieldsTest, RefusedFieldsFailWithEveryLocation) {
  const std::string text =
      "name: \"m\"\n"
      "max_batch_size: 4\n"
      "sequence_batching {\n"
      "  max_sequence_idle_microseconds: 5000\n"
      "}\n"
      "input [ { name: \"X\" data_type: TYPE_FP32 dims: [ 1 ] is_shape_tensor: true } ]\n"
      "model_transaction_policy { decoupled: true }\n";
  auto parsed = ParseCheckedConfigText(text, "m/config.pbtxt");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(parsed.status()));
  const std::string message(parsed.status().message());
  EXPECT_THAT(message, HasSubstr("m/config.pbtxt:3:1: sequence_batching is not supported: "));
  EXPECT_THAT(message, HasSubstr("m/config.pbtxt:6:54: input.is_shape_tensor is not supported"));
  EXPECT_THAT(message, HasSubstr("m/config.pbtxt:7:28: model_transaction_policy.decoupled"));
  // In file order, one per line.
  EXPECT_LT(message.find("sequence_batching"), message.find("is_shape_tensor"));
  EXPECT_LT(message.find("is_shape_tensor"), message.find("decoupled"));
}

TEST(ConfigFieldsTest, IgnoredFieldsLoadAndAreReported) {
  const std::string text =
      "name: \"m\"\n"
      "instance_group [ { kind: KIND_CPU count: 2 rate_limiter { priority: 1 } } ]\n"
      "response_cache { enable: true }\n"
      "model_transaction_policy { decoupled: false }\n"
      "parameters { key: \"intra_op_thread_count\" value { string_value: \"2\" } }\n";
  auto parsed = ParseCheckedConfigText(text, "m/config.pbtxt");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->ignored.size(), 2u);
  EXPECT_EQ(parsed->ignored[0].path, "instance_group.rate_limiter");
  EXPECT_EQ(parsed->ignored[0].where, "m/config.pbtxt:2:44");
  EXPECT_THAT(parsed->ignored[0].message, HasSubstr("is ignored: inferd has no rate limiter"));
  EXPECT_EQ(parsed->ignored[1].path, "response_cache.enable");
  EXPECT_EQ(parsed->ignored[1].where, "m/config.pbtxt:3:18");
}

TEST(ConfigFieldsTest, InstanceKindsAndGpusParse) {
  auto parsed = ParseCheckedConfigText(
      "instance_group [ { kind: KIND_GPU gpus: [ 0, 1 ] count: 2 },\n"
      "                 { kind: KIND_AUTO }, { kind: KIND_CPU count: 1 } ]\n",
      "config.pbtxt");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const auto& groups = parsed->config.instance_group();
  ASSERT_EQ(groups.size(), 3);
  EXPECT_EQ(groups[0].kind(), ::inference::ModelInstanceGroup::KIND_GPU);
  EXPECT_THAT(groups[0].gpus(), ::testing::ElementsAre(0, 1));
  EXPECT_EQ(groups[1].kind(), ::inference::ModelInstanceGroup::KIND_AUTO);
  EXPECT_EQ(groups[2].kind(), ::inference::ModelInstanceGroup::KIND_CPU);
  EXPECT_TRUE(parsed->ignored.empty());
  EXPECT_FALSE(ParseCheckedConfigText("instance_group [ { kind: KIND_TPU } ]", "c").ok());
}

TEST(ConfigFieldsTest, ConfigWithoutTextIsCheckedWithoutLines) {
  ::inference::ModelConfig config;
  config.mutable_model_operations()->add_op_library_filename("libops.so");
  auto checked = CheckConfig(config, "the load request");
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.status().message(),
              HasSubstr("the load request: model_operations is not supported"));
}

// docs/migrating-from-triton.md lists every rule with the same decision: its table rows are
// "| `path` | supported|ignored|refused ... |".
TEST(ConfigFieldsTest, MigrationGuideListsTheSameRules) {
  std::ifstream in(std::string(INFERD_SOURCE_DIR) + "/docs/migrating-from-triton.md");
  ASSERT_TRUE(in.good());
  std::map<std::string, std::string> documented;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    const size_t bar = line.find('|', end);
    if (end == std::string::npos || bar == std::string::npos) continue;
    std::istringstream cell(line.substr(bar + 1));
    std::string decision;
    cell >> decision;
    if (decision != "supported" && decision != "ignored" && decision != "refused") continue;
    EXPECT_TRUE(documented.emplace(line.substr(3, end - 3), decision).second)
        << "listed twice: " << line;
  }
  std::map<std::string, std::string> table;
  for (const FieldRule& rule : ConfigFieldRules()) {
    table.emplace(std::string(rule.path), std::string(FieldSupportName(rule.support)));
  }
  EXPECT_EQ(documented, table);
}

TEST(ConfigFieldsTest, EnsembleStepsAreSupportedButNotNamespaces) {
  ::inference::ModelConfig config;
  auto* step = config.mutable_ensemble_scheduling()->add_step();
  step->set_model_name("a");
  (*step->mutable_input_map())["X"] = "IN";
  ASSERT_TRUE(CheckConfig(config, "the load request").ok());
  step->set_model_namespace("ns");
  auto checked = CheckConfig(config, "the load request");
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.status().message(),
              HasSubstr("ensemble_scheduling.step.model_namespace is not supported"));
}

}  // namespace
}  // namespace inferd::repository
