#include "core/sequence_controls.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "google/protobuf/text_format.h"

namespace inferd::core {
namespace {

using ::testing::HasSubstr;

::inference::ModelSequenceBatching ParseBatching(const std::string& text) {
  ::inference::ModelSequenceBatching batching;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &batching)) << text;
  return batching;
}

std::string ControlError(const std::string& text) {
  auto parsed = ParseSequenceControls(ParseBatching(text));
  EXPECT_FALSE(parsed.ok()) << text;
  EXPECT_TRUE(absl::IsInvalidArgument(parsed.status()));
  return std::string(parsed.status().message());
}

template <typename T>
T ScalarOf(const Tensor& t) {
  T value{};
  EXPECT_EQ(t.data.size(), sizeof(T));
  std::memcpy(&value, t.data.data(), sizeof(T));
  return value;
}

constexpr char kAllControls[] = R"pb(
  control_input {
    name: "S"
    control {
      kind: CONTROL_SEQUENCE_START
      int32_false_true: [ 0, 1 ]
    }
  }
  control_input {
    name: "E"
    control {
      kind: CONTROL_SEQUENCE_END
      fp32_false_true: [ 0, 2.5 ]
    }
  }
  control_input {
    name: "R"
    control {
      kind: CONTROL_SEQUENCE_READY
      bool_false_true: [ false, true ]
    }
  }
  control_input {
    name: "C"
    control { kind: CONTROL_SEQUENCE_CORRID data_type: TYPE_UINT64 }
  }
  state {
    input_name: "ACC_IN"
    output_name: "ACC_OUT"
    data_type: TYPE_INT32
    dims: [ 2 ]
  }
)pb";

TEST(SequenceControlsTest, ParsesEveryKindAndBuildsTensors) {
  auto controls = ParseSequenceControls(ParseBatching(kAllControls));
  ASSERT_TRUE(controls.ok()) << controls.status();
  EXPECT_EQ(controls->ProvidedInputs(), (std::vector<std::string>{"S", "E", "R", "C", "ACC_IN"}));
  EXPECT_TRUE(controls->IsStateOutput("ACC_OUT"));
  EXPECT_FALSE(controls->IsStateOutput("ACC_IN"));

  std::vector<Tensor> inputs;
  ASSERT_TRUE(
      AppendControlTensors(*controls, true, CorrelationId{42, ""}, true, false, inputs).ok());
  ASSERT_EQ(inputs.size(), 4u);
  EXPECT_EQ(inputs[0].name, "C");
  EXPECT_EQ(inputs[0].shape, (Shape{1, 1}));
  EXPECT_EQ(ScalarOf<uint64_t>(inputs[0]), 42u);
  EXPECT_EQ(ScalarOf<int32_t>(inputs[1]), 1);   // START true
  EXPECT_EQ(ScalarOf<float>(inputs[2]), 0.0f);  // END false
  EXPECT_EQ(ScalarOf<uint8_t>(inputs[3]), 1);   // READY true

  inputs.clear();
  ASSERT_TRUE(
      AppendControlTensors(*controls, false, CorrelationId{7, ""}, false, true, inputs).ok());
  EXPECT_EQ(inputs[0].shape, (Shape{1}));
  EXPECT_EQ(ScalarOf<int32_t>(inputs[1]), 0);
  EXPECT_EQ(ScalarOf<float>(inputs[2]), 2.5f);

  const Tensor zero = InitialStateTensor(controls->states[0], true);
  EXPECT_EQ(zero.name, "ACC_IN");
  EXPECT_EQ(zero.shape, (Shape{1, 2}));
  EXPECT_EQ(zero.data.size(), 8u);
}

TEST(SequenceControlsTest, CorrIdTypesAndRanges) {
  auto controls = ParseSequenceControls(
      ParseBatching(R"pb(control_input {
                           name: "C"
                           control { kind: CONTROL_SEQUENCE_CORRID data_type: TYPE_INT32 }
                         })pb"));
  ASSERT_TRUE(controls.ok()) << controls.status();
  std::vector<Tensor> inputs;
  EXPECT_TRUE(AppendControlTensors(*controls, false, {5, ""}, true, false, inputs).ok());
  EXPECT_EQ(ScalarOf<int32_t>(inputs[0]), 5);
  const Status too_big =
      AppendControlTensors(*controls, false, {1ull << 40, ""}, true, false, inputs);
  EXPECT_THAT(std::string(too_big.message()), HasSubstr("does not fit"));
  const Status text = AppendControlTensors(*controls, false, {0, "abc"}, true, false, inputs);
  EXPECT_THAT(std::string(text.message()), HasSubstr("is a string"));

  auto strings = ParseSequenceControls(
      ParseBatching(R"pb(control_input {
                           name: "C"
                           control { kind: CONTROL_SEQUENCE_CORRID data_type: TYPE_STRING }
                         })pb"));
  ASSERT_TRUE(strings.ok());
  inputs.clear();
  ASSERT_TRUE(AppendControlTensors(*strings, false, {12, ""}, true, false, inputs).ok());
  // A numeric id is sent as its decimal text, length-prefixed.
  ASSERT_EQ(inputs[0].data.size(), 6u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(inputs[0].data.data()) + 4, 2), "12");
}

TEST(SequenceControlsTest, RefusesMalformedControls) {
  EXPECT_THAT(ControlError(R"pb(control_input {
                                  control {
                                    kind: CONTROL_SEQUENCE_START
                                    int32_false_true: [ 0, 1 ]
                                  }
                                })pb"),
              HasSubstr("has no name"));
  EXPECT_THAT(ControlError(R"pb(control_input { name: "S" })pb"), HasSubstr("exactly one control"));
  EXPECT_THAT(ControlError(R"pb(control_input {
                                  name: "S"
                                  control {
                                    kind: CONTROL_SEQUENCE_START
                                    int32_false_true: [ 1 ]
                                  }
                                })pb"),
              HasSubstr("exactly two values"));
  EXPECT_THAT(ControlError(R"pb(control_input {
                                  name: "S"
                                  control { kind: CONTROL_SEQUENCE_START }
                                })pb"),
              HasSubstr("exactly one of"));
  EXPECT_THAT(ControlError(R"pb(control_input {
                                  name: "C"
                                  control { kind: CONTROL_SEQUENCE_CORRID data_type: TYPE_FP32 }
                                })pb"),
              HasSubstr("data_type must be"));
  EXPECT_THAT(ControlError(R"pb(
                control_input {
                  name: "A"
                  control {
                    kind: CONTROL_SEQUENCE_READY
                    int32_false_true: [ 0, 1 ]
                  }
                }
                control_input {
                  name: "B"
                  control {
                    kind: CONTROL_SEQUENCE_READY
                    int32_false_true: [ 0, 1 ]
                  }
                })pb"),
              HasSubstr("more than one CONTROL_SEQUENCE_READY"));
  EXPECT_THAT(ControlError(R"pb(
                control_input {
                  name: "A"
                  control {
                    kind: CONTROL_SEQUENCE_READY
                    int32_false_true: [ 0, 1 ]
                  }
                }
                state {
                  input_name: "A"
                  output_name: "B"
                  data_type: TYPE_INT32
                  dims: [ 1 ]
                })pb"),
              HasSubstr("names input 'A' twice"));
  EXPECT_THAT(ControlError(R"pb(state {
                                  input_name: "A"
                                  output_name: "B"
                                  data_type: TYPE_INT32
                                  dims: [ -1 ]
                                })pb"),
              HasSubstr("fixed dims"));
  EXPECT_THAT(ControlError(R"pb(state {
                                  input_name: "A"
                                  data_type: TYPE_INT32
                                  dims: [ 1 ]
                                })pb"),
              HasSubstr("input_name and output_name"));
}

TEST(SequenceControlsTest, ChecksTheModelSignature) {
  auto controls = ParseSequenceControls(ParseBatching(kAllControls));
  ASSERT_TRUE(controls.ok());
  ModelSignature signature;
  signature.inputs = {{"S", DataType::kInt32, {-1, 1}},
                      {"E", DataType::kFp32, {-1, 1}},
                      {"R", DataType::kBool, {-1, 1}},
                      {"C", DataType::kUint64, {-1, 1}},
                      {"ACC_IN", DataType::kInt32, {-1, 2}}};
  signature.outputs = {{"ACC_OUT", DataType::kInt32, {-1, 2}}};
  EXPECT_TRUE(ValidateSequenceAgainstSignature(*controls, signature).ok());
  signature.inputs[0].dtype = DataType::kFp32;
  EXPECT_THAT(std::string(ValidateSequenceAgainstSignature(*controls, signature).message()),
              HasSubstr("'S' is INT32 in config.pbtxt but FP32 in the model"));
  signature.inputs[0].dtype = DataType::kInt32;
  signature.outputs.clear();
  EXPECT_THAT(std::string(ValidateSequenceAgainstSignature(*controls, signature).message()),
              HasSubstr("state output 'ACC_OUT' is not in the model"));
}

}  // namespace
}  // namespace inferd::core
