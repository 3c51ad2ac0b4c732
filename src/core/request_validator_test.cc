#include "core/request_validator.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace inferd::core {
namespace {

::inference::ModelConfig SimpleConfig() {
  ::inference::ModelConfig config;
  const char* text = R"pb(
    name: "simple"
    max_batch_size: 8
    input {
      name: "INPUT0"
      data_type: TYPE_INT32
      dims: [ 16 ]
    }
    input {
      name: "INPUT1"
      data_type: TYPE_INT32
      dims: [ 16 ]
    }
    output {
      name: "OUTPUT0"
      data_type: TYPE_INT32
      dims: [ 16 ]
    }
    output {
      name: "OUTPUT1"
      data_type: TYPE_INT32
      dims: [ 16 ]
    }
  )pb";
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
  return config;
}

Tensor Int32Input(std::string name, Shape shape) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return MakeOwnedTensor(std::move(name), DataType::kInt32, std::move(shape), n * 4).tensor;
}

InferenceRequest Request(std::vector<Tensor> inputs) {
  InferenceRequest r;
  r.model_name = "simple";
  r.inputs = std::move(inputs);
  return r;
}

Status Validate(InferenceRequest r) { return ValidateRequest(SimpleConfig(), r); }

TEST(RequestValidatorTest, AcceptsValidRequestAndOrdersInputs) {
  auto r = Request({Int32Input("INPUT1", {2, 16}), Int32Input("INPUT0", {2, 16})});
  ASSERT_TRUE(ValidateRequest(SimpleConfig(), r).ok());
  EXPECT_EQ(r.inputs[0].name, "INPUT0");
}

TEST(RequestValidatorTest, RejectsBadInputs) {
  auto msg = [](Status s) { return std::string(s.message()); };
  Status s = Validate(Request({Int32Input("INPUT0", {1, 16})}));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(msg(s).find("'INPUT1'"), std::string::npos) << s;

  s = Validate(Request({Int32Input("INPUT0", {1, 15}), Int32Input("INPUT1", {1, 16})}));
  EXPECT_NE(msg(s).find("Expected [-1,16], got [1,15]"), std::string::npos) << s;

  s = Validate(Request({Int32Input("INPUT0", {9, 16}), Int32Input("INPUT1", {9, 16})}));
  EXPECT_NE(msg(s).find("batch-size must be in [1, 8]"), std::string::npos) << s;

  s = Validate(Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT1", {2, 16})}));
  EXPECT_NE(msg(s).find("same batch size"), std::string::npos) << s;

  s = Validate(Request(
      {Int32Input("INPUT0", {1, 16}), Int32Input("INPUT1", {1, 16}), Int32Input("X", {1})}));
  EXPECT_NE(msg(s).find("unexpected inference input 'X'"), std::string::npos) << s;

  s = Validate(Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT0", {1, 16})}));
  EXPECT_NE(msg(s).find("given twice"), std::string::npos) << s;

  auto wrong_type = Int32Input("INPUT1", {1, 16});
  wrong_type.dtype = DataType::kFp32;
  s = Validate(Request({Int32Input("INPUT0", {1, 16}), wrong_type}));
  EXPECT_NE(msg(s).find("unexpected datatype FP32"), std::string::npos) << s;

  auto short_data = Int32Input("INPUT1", {1, 16});
  short_data.data = short_data.data.first(60);
  s = Validate(Request({Int32Input("INPUT0", {1, 16}), short_data}));
  EXPECT_NE(msg(s).find("60 bytes"), std::string::npos) << s;
}

TEST(RequestValidatorTest, RejectsUnknownAndDuplicateOutputs) {
  auto r = Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT1", {1, 16})});
  r.requested_outputs = {"OUTPUT0", "NOPE"};
  EXPECT_FALSE(ValidateRequest(SimpleConfig(), r).ok());
  r.requested_outputs = {"OUTPUT1", "OUTPUT1"};
  EXPECT_FALSE(ValidateRequest(SimpleConfig(), r).ok());
  r.requested_outputs = {"OUTPUT1"};
  EXPECT_TRUE(ValidateRequest(SimpleConfig(), r).ok());
}

TEST(RequestValidatorTest, ReshapeRewritesShape) {
  auto config = SimpleConfig();
  config.mutable_input(0)->mutable_reshape()->add_shape(4);
  config.mutable_input(0)->mutable_reshape()->add_shape(4);
  auto r = Request({Int32Input("INPUT0", {2, 16}), Int32Input("INPUT1", {2, 16})});
  ASSERT_TRUE(ValidateRequest(config, r).ok());
  EXPECT_EQ(r.inputs[0].shape, (Shape{2, 4, 4}));
}

// Triton's `optional: true`: the input may be omitted (the request then runs without it), but
// when given it is checked like any other. This validator is the only one: backends run what it
// accepts (the ONNX Runtime backend used to refuse an omitted optional input itself).
::inference::ModelConfig WithOptionalInput1() {
  ::inference::ModelConfig config = SimpleConfig();
  config.mutable_input(1)->set_optional(true);
  auto* third = config.add_input();
  third->set_name("INPUT2");
  third->set_data_type(::inference::TYPE_INT32);
  third->add_dims(16);
  return config;
}

TEST(RequestValidatorTest, OptionalInputMayBeOmitted) {
  auto r = Request({Int32Input("INPUT2", {2, 16}), Int32Input("INPUT0", {2, 16})});
  ASSERT_TRUE(ValidateRequest(WithOptionalInput1(), r).ok());
  ASSERT_EQ(r.inputs.size(), 2u);  // config order, the omitted optional input left out
  EXPECT_EQ(r.inputs[0].name, "INPUT0");
  EXPECT_EQ(r.inputs[1].name, "INPUT2");
}

TEST(RequestValidatorTest, OptionalInputGivenIsCheckedLikeAnyOther) {
  auto r = Request({Int32Input("INPUT0", {2, 16}), Int32Input("INPUT1", {3, 16}),
                    Int32Input("INPUT2", {2, 16})});
  const Status status = ValidateRequest(WithOptionalInput1(), r);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("input 'INPUT1' has 3"), absl::string_view::npos) << status;

  auto wrong_type = Request({Int32Input("INPUT0", {2, 16}), Int32Input("INPUT2", {2, 16})});
  wrong_type.inputs.push_back(
      MakeOwnedTensor("INPUT1", DataType::kFp32, {2, 16}, 2 * 16 * 4).tensor);
  EXPECT_EQ(ValidateRequest(WithOptionalInput1(), wrong_type).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RequestValidatorTest, RequiredInputBesideAnOptionalOneIsStillRequired) {
  auto r = Request({Int32Input("INPUT0", {2, 16})});
  const Status status = ValidateRequest(WithOptionalInput1(), r);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "expected input 'INPUT2' for model 'simple' is missing");
}

}  // namespace
}  // namespace inferd::core
