#include "core/request_validator.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/bytes_layout.h"

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
  EXPECT_NE(msg(s).find("inference request batch-size must be <= 8 for 'simple'"),
            std::string::npos)
      << s;

  s = Validate(Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT1", {2, 16})}));
  EXPECT_NE(msg(s).find("input 'INPUT1' batch size does not match other inputs for 'simple'"),
            std::string::npos)
      << s;

  s = Validate(Request({Int32Input("INPUT0", {1, 16}), Int32Input("X", {1})}));
  EXPECT_EQ(msg(s), "unexpected inference input 'X' for model 'simple'");

  s = Validate(Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT0", {1, 16})}));
  EXPECT_NE(msg(s).find("input 'INPUT0' already exists in request"), std::string::npos) << s;

  auto wrong_type = Int32Input("INPUT1", {1, 16});
  wrong_type.dtype = DataType::kFp32;
  s = Validate(Request({Int32Input("INPUT0", {1, 16}), wrong_type}));
  EXPECT_NE(msg(s).find(
                "inference input 'INPUT1' data-type is 'FP32', but model 'simple' expects 'INT32'"),
            std::string::npos)
      << s;

  auto short_data = Int32Input("INPUT1", {1, 16});
  short_data.data = short_data.data.first(60);
  s = Validate(Request({Int32Input("INPUT0", {1, 16}), short_data}));
  EXPECT_NE(
      msg(s).find(
          "input byte size mismatch for input 'INPUT1' for model 'simple'. Expected 64, got 60"),
      std::string::npos)
      << s;
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
  EXPECT_NE(status.message().find("input 'INPUT1' batch size does not match other inputs"),
            absl::string_view::npos)
      << status;

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
  EXPECT_EQ(status.message(),
            "[request id: <id_unknown>] expected number of inputs between 2 and 3 but got 1 inputs "
            "for model 'simple'. Got input(s) ['INPUT0'], but missing required input(s) "
            "['INPUT2']. Please provide all required input(s).");
}

// Triton's texts, whole: clients match on them (core's InferenceRequest checks).
TEST(RequestValidatorTest, MessagesAreTritonsWordForWord) {
  auto r = Request({Int32Input("INPUT0", {1, 16})});
  r.id = "req-7";
  EXPECT_EQ(ValidateRequest(SimpleConfig(), r).message(),
            "[request id: req-7] expected 2 inputs but got 1 inputs for model 'simple'. Got "
            "input(s) ['INPUT0'], but missing required input(s) ['INPUT1']. Please provide all "
            "required input(s).");

  r = Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT1", {1, 8})});
  EXPECT_EQ(ValidateRequest(SimpleConfig(), r).message(),
            "[request id: <id_unknown>] unexpected shape for input 'INPUT1' for model 'simple'. "
            "Expected [-1,16], got [1,8]. NOTE: Setting a non-zero max_batch_size in the model "
            "config requires a batch dimension to be prepended to each input shape. If you want "
            "to specify the full shape including the batch dim in your input dims config, try "
            "setting max_batch_size to zero. See the model configuration docs for more info on "
            "max_batch_size.");

  r = Request({Int32Input("INPUT0", {9, 16}), Int32Input("INPUT1", {9, 16})});
  EXPECT_EQ(ValidateRequest(SimpleConfig(), r).message(),
            "[request id: <id_unknown>] inference request batch-size must be <= 8 for 'simple'");

  r = Request({Int32Input("INPUT0", {1, 16}), Int32Input("INPUT1", {1, 16})});
  r.requested_outputs = {"NOPE"};
  EXPECT_EQ(ValidateRequest(SimpleConfig(), r).message(),
            "unexpected inference output 'NOPE' for model 'simple'");

  // Without a batch dimension the shape message has no note.
  auto unbatched = SimpleConfig();
  unbatched.set_max_batch_size(0);
  r = Request({Int32Input("INPUT0", {16}), Int32Input("INPUT1", {15})});
  EXPECT_EQ(ValidateRequest(unbatched, r).message(),
            "[request id: <id_unknown>] unexpected shape for input 'INPUT1' for model 'simple'. "
            "Expected [16], got [15].");
}

TEST(RequestValidatorTest, BytesElementCountsAreTritons) {
  auto config = SimpleConfig();
  config.mutable_input(0)->set_data_type(::inference::TYPE_STRING);
  auto strings = [](std::string name, int n) {
    std::vector<std::byte> data;
    for (int i = 0; i < n; ++i) AppendBytesElement("7", data);
    auto owned = MakeOwnedTensor(std::move(name), DataType::kBytes, {1, 16}, data.size());
    std::copy(data.begin(), data.end(), owned.writable.begin());
    return owned.tensor;
  };
  auto r = Request({strings("INPUT0", 3), Int32Input("INPUT1", {1, 16})});
  EXPECT_EQ(ValidateRequest(config, r).message(),
            "[request id: <id_unknown>] expected 16 string elements for inference input 'INPUT0' "
            "for model 'simple', got 3");
  r = Request({strings("INPUT0", 20), Int32Input("INPUT1", {1, 16})});
  EXPECT_EQ(ValidateRequest(config, r).message(),
            "[request id: <id_unknown>] unexpected number of string elements 17 for inference "
            "input 'INPUT0' for model 'simple', expecting 16");
  r = Request({strings("INPUT0", 16), Int32Input("INPUT1", {1, 16})});
  EXPECT_TRUE(ValidateRequest(config, r).ok());
}

}  // namespace
}  // namespace inferd::core
