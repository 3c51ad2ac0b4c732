#include "repository/config_validation.h"

#include "repository/config_autocomplete.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "repository/model_config.h"

namespace inferd::repository {
namespace {

using core::DataType;
using ::testing::HasSubstr;

::inference::ModelConfig Parse(std::string_view text) {
  auto c = ParseConfigText(text, "config.pbtxt");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : ::inference::ModelConfig();
}

core::ModelSignature TwoInputs() {
  return core::ModelSignature{{{"A", DataType::kFp32, {-1, 16}}, {"B", DataType::kInt64, {-1, 16}}},
                              {{"Y", DataType::kFp32, {-1, 16}}, {"Z", DataType::kFp32, {-1, 2}}}};
}

constexpr char kGood[] = R"pb(
  max_batch_size: 8 input
  [ {
    name: "A"
    data_type: TYPE_FP32
    dims: [ 16 ]
  }
    , {
      name: "B"
      data_type: TYPE_INT64
      dims: [ -1 ]
    }] output
  [ {
    name: "Y"
    data_type: TYPE_FP32
    dims: [ 16 ]
  }]
)pb";

std::string Message(const Status& s) { return std::string(s.message()); }

TEST(ValidateAgainstSignature, AcceptsMatchingConfigAndOutputSubset) {
  EXPECT_TRUE(ValidateAgainstSignature(Parse(kGood), TwoInputs()).ok());
}

TEST(ValidateAgainstSignature, UnknownInputListsModelInputs) {
  auto config = Parse(kGood);
  config.mutable_input(0)->set_name("X");
  const Status s = ValidateAgainstSignature(config, TwoInputs());
  EXPECT_EQ(Message(s),
            "input 'X' in config.pbtxt is not an input of the model; the model's inputs are: A, B");
}

TEST(ValidateAgainstSignature, UnknownOutputListsModelOutputs) {
  auto config = Parse(kGood);
  config.mutable_output(0)->set_name("Q");
  EXPECT_THAT(Message(ValidateAgainstSignature(config, TwoInputs())),
              HasSubstr("the model's outputs are: Y, Z"));
}

TEST(ValidateAgainstSignature, TypeMismatchNamesBoth) {
  auto config = Parse(kGood);
  config.mutable_input(1)->set_data_type(::inference::TYPE_INT32);
  const std::string m = Message(ValidateAgainstSignature(config, TwoInputs()));
  EXPECT_THAT(m, HasSubstr("input 'B'"));
  EXPECT_THAT(m, HasSubstr("TYPE_INT32"));
  EXPECT_THAT(m, HasSubstr("TYPE_INT64"));
}

TEST(ValidateAgainstSignature, DimsMismatchShowsBothShapes) {
  auto config = Parse(kGood);
  config.mutable_input(0)->set_dims(0, 17);
  const std::string m = Message(ValidateAgainstSignature(config, TwoInputs()));
  EXPECT_THAT(m, HasSubstr("input 'A'"));
  EXPECT_THAT(m, HasSubstr("[17]"));
  EXPECT_THAT(m, HasSubstr("[-1,16]"));
}

TEST(ValidateAgainstSignature, BatchDimensionIsAccountedFor) {
  // Without batching the config must give the full shape.
  auto config = Parse(kGood);
  config.set_max_batch_size(0);
  EXPECT_FALSE(ValidateAgainstSignature(config, TwoInputs()).ok());
  for (auto* in : {config.mutable_input(0), config.mutable_input(1)}) {
    in->clear_dims();
    in->add_dims(4);  // a model -1 accepts any configured size
    in->add_dims(16);
  }
  config.mutable_output(0)->clear_dims();
  config.mutable_output(0)->add_dims(-1);
  config.mutable_output(0)->add_dims(16);
  EXPECT_TRUE(ValidateAgainstSignature(config, TwoInputs()).ok())
      << ValidateAgainstSignature(config, TwoInputs());
}

TEST(ValidateAgainstSignature, FixedFirstDimCannotBatch) {
  core::ModelSignature sig{{{"A", DataType::kFp32, {1, 16}}}, {{"Y", DataType::kFp32, {1, 16}}}};
  auto config = Parse(R"pb(max_batch_size: 4 input
                           [ {
                             name: "A"
                             data_type: TYPE_FP32
                             dims: [ 16 ]
                           }])pb");
  const std::string m = Message(ValidateAgainstSignature(config, sig));
  EXPECT_THAT(m, HasSubstr("max_batch_size is 4"));
  EXPECT_THAT(m, HasSubstr("first dimension is fixed"));
}

TEST(ValidateAgainstSignature, MissingRequiredInput) {
  auto config = Parse(kGood);
  config.mutable_input()->RemoveLast();
  EXPECT_THAT(Message(ValidateAgainstSignature(config, TwoInputs())),
              HasSubstr("the model's input 'B' (INT64 [-1,16]) is missing from config.pbtxt"));
}

TEST(ValidateAgainstSignature, ReshapeIsComparedToTheModel) {
  core::ModelSignature sig{{{"A", DataType::kFp32, {-1, 4, 4}}}, {}};
  auto config = Parse(R"pb(max_batch_size: 2 input
                           [ {
                             name: "A"
                             data_type: TYPE_FP32
                             dims: [ 16 ]
                             reshape { shape: [ 4, 4 ] }
                           }])pb");
  EXPECT_TRUE(ValidateAgainstSignature(config, sig).ok());
  config.mutable_input(0)->mutable_reshape()->set_shape(1, 5);
  EXPECT_THAT(Message(ValidateAgainstSignature(config, sig)), HasSubstr("reshape [4,5]"));
}

TEST(ValidateConfig, AcceptsGoodConfig) { EXPECT_TRUE(ValidateConfig(Parse(kGood)).ok()); }

TEST(ValidateConfig, NegativeDimOtherThanMinusOne) {
  auto config = Parse(kGood);
  config.mutable_input(0)->set_dims(0, -2);
  EXPECT_THAT(Message(ValidateConfig(config)), HasSubstr("input 'A': dims [-2] is invalid"));
  config.mutable_input(0)->set_dims(0, 0);
  EXPECT_FALSE(ValidateConfig(config).ok());
}

TEST(ValidateConfig, MissingDimsOrType) {
  EXPECT_THAT(Message(ValidateConfig(Parse("input [ { name: \"A\" data_type: TYPE_FP32 } ]"))),
              HasSubstr("must specify 'dims'"));
  EXPECT_THAT(Message(ValidateConfig(Parse("output [ { name: \"A\" dims: [ 1 ] } ]"))),
              HasSubstr("must specify 'data_type'"));
}

TEST(ValidateConfig, DuplicateNames) {
  auto config = Parse(kGood);
  *config.add_input() = config.input(0);
  EXPECT_THAT(Message(ValidateConfig(config)), HasSubstr("input 'A' is declared more than once"));
  config = Parse(kGood);
  *config.add_output() = config.output(0);
  EXPECT_THAT(Message(ValidateConfig(config)), HasSubstr("output 'Y' is declared more than once"));
}

TEST(ValidateConfig, NegativeMaxBatchSize) {
  EXPECT_THAT(Message(ValidateConfig(Parse("max_batch_size: -3"))), HasSubstr("-3"));
}

TEST(ValidateConfig, PreferredBatchSizeAboveMax) {
  auto config = Parse("max_batch_size: 4 dynamic_batching { preferred_batch_size: [ 2, 8 ] }");
  EXPECT_THAT(Message(ValidateConfig(config)), HasSubstr("preferred_batch_size 8"));
}

TEST(ValidateConfig, PriorityLevels) {
  EXPECT_TRUE(ValidateConfig(Parse(R"pb(max_batch_size: 4
                                        dynamic_batching {
                                          priority_levels: 2
                                          default_priority_level: 2
                                          priority_queue_policy {
                                            key: 1
                                            value: {}
                                          }
                                        })pb"))
                  .ok());
  EXPECT_FALSE(ValidateConfig(Parse(R"pb(max_batch_size: 4
                                         dynamic_batching {
                                           priority_levels: 2
                                           default_priority_level: 3
                                         })pb"))
                   .ok());
  EXPECT_FALSE(ValidateConfig(Parse(R"pb(max_batch_size: 4
                                         dynamic_batching {
                                           priority_levels: 2
                                           default_priority_level: 1
                                           priority_queue_policy {
                                             key: 5
                                             value: {}
                                           }
                                         })pb"))
                   .ok());
}

TEST(ValidateConfig, LatestZeroVersions) {
  EXPECT_FALSE(ValidateConfig(Parse("version_policy { latest { num_versions: 0 } }")).ok());
}

// A runaway instance count is refused with the bound named, never clamped; counts that would
// overflow a 32-bit sum are still caught.
TEST(ValidateInstanceCount, RefusesCountsOverTheBoundNamingIt) {
  auto config = Parse("name: 'm' instance_group [ { count: 1000000 } ]");
  const Status s = ValidateInstanceCount(config, 8);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("1000000 instances"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("--max-instances-per-model 8"));
  EXPECT_TRUE(ValidateInstanceCount(Parse("instance_group [ { count: 8 } ]"), 8).ok());
  auto overflow =
      Parse("instance_group [ { count: 2147483647 }, { count: 2147483647 }, { count: 3 } ]");
  EXPECT_FALSE(ValidateInstanceCount(overflow, 64).ok());
}

}  // namespace
}  // namespace inferd::repository

namespace inferd::repository {
namespace {

// A sequence model: the client sends A; START and the state pair S_IN/S_OUT are the server's.
constexpr char kSequenceModel[] = R"pb(
  max_batch_size: 4 input
  [ {
    name: "A"
    data_type: TYPE_FP32
    dims: [ 16 ]
  }] output
  [ {
    name: "Y"
    data_type: TYPE_FP32
    dims: [ 16 ]
  }]
  sequence_batching { control_input
                      [ {
                        name: "START" control
                        [ {
                          kind: CONTROL_SEQUENCE_START
                          fp32_false_true: [ 0, 1 ]
                        }]
                      }] state
                      [ {
                        input_name: "S_IN"
                        output_name: "S_OUT"
                        data_type: TYPE_FP32
                        dims: [ 2 ]
                      }] }
)pb";

core::ModelSignature SequenceSignature() {
  return core::ModelSignature{
      {{"A", DataType::kFp32, {-1, 16}},
       {"START", DataType::kFp32, {-1, 1}},
       {"S_IN", DataType::kFp32, {-1, 2}}},
      {{"Y", DataType::kFp32, {-1, 16}}, {"S_OUT", DataType::kFp32, {-1, 2}}}};
}

TEST(ValidateSequenceBatching, ControlAndStateInputsNeedNoInputEntry) {
  const auto config = Parse(kSequenceModel);
  EXPECT_TRUE(ValidateConfig(config).ok()) << ValidateConfig(config);
  EXPECT_TRUE(ValidateAgainstSignature(config, SequenceSignature()).ok())
      << ValidateAgainstSignature(config, SequenceSignature());
}

TEST(ValidateSequenceBatching, RefusesAControlListedAsInputAndAMissingControl) {
  auto config = Parse(kSequenceModel);
  auto* start = config.add_input();
  start->set_name("START");
  start->set_data_type(::inference::TYPE_FP32);
  start->add_dims(1);
  EXPECT_THAT(std::string(ValidateConfig(config).message()),
              HasSubstr("input 'START' is a sequence_batching control or state input"));
  core::ModelSignature without_start = SequenceSignature();
  without_start.inputs.erase(without_start.inputs.begin() + 1);
  EXPECT_THAT(std::string(ValidateAgainstSignature(Parse(kSequenceModel), without_start).message()),
              HasSubstr("control input 'START' is not in the model"));
  auto bad = Parse(kSequenceModel);
  bad.mutable_sequence_batching()
      ->mutable_control_input(0)
      ->mutable_control(0)
      ->clear_fp32_false_true();
  EXPECT_THAT(std::string(ValidateConfig(bad).message()), HasSubstr("exactly one of"));
}

TEST(ValidateSequenceBatching, AutoCompleteLeavesTheServersTensorsOut) {
  auto config = Parse(R"pb(
    max_batch_size: 4
    sequence_batching { control_input
                        [ {
                          name: "START" control
                          [ {
                            kind: CONTROL_SEQUENCE_START
                            fp32_false_true: [ 0, 1 ]
                          }]
                        }] state
                        [ {
                          input_name: "S_IN"
                          output_name: "S_OUT"
                          data_type: TYPE_FP32
                          dims: [ 2 ]
                        }] }
  )pb");
  // A backend's part lists every tensor of the model file.
  auto every_tensor = [](::inference::ModelConfig& c) {
    for (const auto& spec : SequenceSignature().inputs) {
      auto* in = c.add_input();
      in->set_name(spec.name);
      in->set_data_type(core::ToConfigType(spec.dtype));
      in->add_dims(spec.dims[1]);
    }
    for (const auto& spec : SequenceSignature().outputs) {
      auto* out = c.add_output();
      out->set_name(spec.name);
      out->set_data_type(core::ToConfigType(spec.dtype));
      out->add_dims(spec.dims[1]);
    }
    return absl::OkStatus();
  };
  AutoCompleteOptions options;
  options.model_name = "seq";
  config.set_name("seq");
  auto completed = AutoCompleteConfig(SequenceSignature(), options, config, every_tensor);
  ASSERT_TRUE(completed.ok()) << completed.status();
  ASSERT_EQ(completed->input_size(), 1);
  EXPECT_EQ(completed->input(0).name(), "A");
  ASSERT_EQ(completed->output_size(), 1);
  EXPECT_EQ(completed->output(0).name(), "Y");
}

}  // namespace
}  // namespace inferd::repository
