// Whole-request decoding (forms, names, parameters, limits) and response encoding.
#include "frontend/grpc/infer_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <vector>

namespace inferd::frontend::grpc {
namespace {

using ::inference::ModelInferRequest;

std::shared_ptr<ModelInferRequest> Request(bool raw) {
  auto m = std::make_shared<ModelInferRequest>();
  m->set_model_name("simple");
  m->set_model_version("2");
  m->set_id("req-7");
  for (const char* name : {"INPUT0", "INPUT1"}) {
    auto* in = m->add_inputs();
    in->set_name(name);
    in->set_datatype("INT32");
    in->add_shape(1);
    in->add_shape(2);
    if (raw) {
      const int32_t values[2] = {5, 6};
      m->add_raw_input_contents(std::string(reinterpret_cast<const char*>(values), 8));
    } else {
      in->mutable_contents()->add_int_contents(5);
      in->mutable_contents()->add_int_contents(6);
    }
  }
  return m;
}

std::string Error(std::shared_ptr<ModelInferRequest> m, DecodeLimits limits = {}) {
  auto decoded = DecodeInferRequest(std::move(m), limits);
  EXPECT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(decoded.status().message());
}

TEST(InferCodecTest, DecodesClassificationParameters) {
  auto m = Request(false);
  auto* a = m->add_outputs();
  a->set_name("OUTPUT0");
  (*a->mutable_parameters())["classification"].set_int64_param(3);
  auto* b = m->add_outputs();
  b->set_name("OUTPUT1");
  (*b->mutable_parameters())["classification"].set_uint64_param(1);
  m->add_outputs()->set_name("OTHER");
  auto decoded = DecodeInferRequest(m, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->classifications.size(), 2u);
  EXPECT_EQ(decoded->classifications[0].output, "OUTPUT0");
  EXPECT_EQ(decoded->classifications[0].count, 3);
  EXPECT_EQ(decoded->classifications[1].output, "OUTPUT1");
  EXPECT_EQ(decoded->classifications[1].count, 1);
  EXPECT_EQ(decoded->request->requested_outputs.size(), 3u);

  for (int bad = 0; bad < 5; ++bad) {
    auto r = Request(false);
    auto& p = (*r->add_outputs()->mutable_parameters())["classification"];
    r->mutable_outputs(0)->set_name("OUTPUT0");
    switch (bad) {
      case 0:
        p.set_bool_param(true);
        break;
      case 1:
        p.set_string_param("2");
        break;
      case 2:
        p.set_int64_param(0);
        break;
      case 3:
        p.set_int64_param(-1);
        break;
      default:
        p.set_uint64_param(uint64_t{1} << 40);
        break;
    }
    EXPECT_NE(Error(r).find("'classification' must be a positive"), std::string::npos) << bad;
  }
}

TEST(InferCodecTest, DecodesRawRequestInPlaceAndKeepsMessageAlive) {
  auto m = Request(true);
  const void* raw0 = m->raw_input_contents(0).data();
  (*m->mutable_parameters())["priority"].set_int64_param(2);
  (*m->mutable_parameters())["timeout"].set_uint64_param(1000);
  m->add_outputs()->set_name("OUTPUT1");
  auto decoded = DecodeInferRequest(m, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const core::InferenceRequest& r = *decoded->request;
  EXPECT_EQ(r.model_name, "simple");
  EXPECT_EQ(r.model_version, 2);
  EXPECT_EQ(r.id, "req-7");
  EXPECT_EQ(r.priority, 2u);
  EXPECT_EQ(r.timeout_us, 1000u);
  ASSERT_EQ(r.inputs.size(), 2u);
  EXPECT_EQ(static_cast<const void*>(r.inputs[0].data.data()), raw0);
  EXPECT_EQ(r.requested_outputs, std::vector<std::string>{"OUTPUT1"});
  EXPECT_EQ(r.body.get(), m.get());
}

TEST(InferCodecTest, DecodesTypedRequest) {
  auto decoded = DecodeInferRequest(Request(false), {});
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->request->inputs[1].data.size(), 8u);
}

TEST(InferCodecTest, RejectsMalformedRequests) {
  auto m = Request(true);
  m->mutable_inputs(1)->mutable_contents()->add_int_contents(1);
  EXPECT_NE(Error(m).find("use one form"), std::string::npos);
  m = Request(true);
  m->mutable_raw_input_contents()->RemoveLast();
  EXPECT_NE(Error(m).find("1 entries for 2 inputs"), std::string::npos);
  m = Request(false);
  m->mutable_inputs(1)->set_name("INPUT0");
  EXPECT_NE(Error(m).find("appears twice"), std::string::npos);
  m = Request(false);
  m->add_outputs()->set_name("OUTPUT0");
  m->add_outputs()->set_name("OUTPUT0");
  EXPECT_NE(Error(m).find("requested twice"), std::string::npos);
  m = Request(false);
  m->mutable_inputs(0)->set_datatype("FLOAT");
  EXPECT_NE(Error(m).find("unknown datatype 'FLOAT'"), std::string::npos);
  m = Request(false);
  m->mutable_inputs(0)->set_shape(0, -1);
  EXPECT_NE(Error(m).find("INPUT0"), std::string::npos);
  m = Request(false);
  m->mutable_inputs(0)->set_shape(0, int64_t{1} << 40);
  EXPECT_NE(Error(m, {1 << 20}).find("INPUT0"), std::string::npos);
  m = Request(false);
  m->set_model_version("latest");
  EXPECT_NE(Error(m).find("not a positive integer"), std::string::npos);
  m = Request(false);
  (*m->mutable_parameters())["priority"].set_int64_param(-1);
  EXPECT_NE(Error(m).find("priority"), std::string::npos);
}

// Triton's rules: a correlation id is a non-negative int64, a uint64 or a non-empty string;
// start/end are bool_param.
TEST(InferCodecTest, SequenceParametersAreValidated) {
  using ::inference::InferParameter;
  std::vector<std::function<void(google::protobuf::Map<std::string, InferParameter>&)>> ok = {
      [](auto& p) { p["sequence_id"].set_string_param("abc"); },
      [](auto& p) { p["sequence_id"].set_int64_param(0); },
      [](auto& p) { p["sequence_id"].set_uint64_param(~uint64_t{0}); },
      [](auto& p) {
        p["sequence_id"].set_int64_param(7);
        p["sequence_start"].set_bool_param(true);
        p["sequence_end"].set_bool_param(false);
      },
  };
  for (size_t i = 0; i < ok.size(); ++i) {
    auto m = Request(false);
    ok[i](*m->mutable_parameters());
    EXPECT_TRUE(DecodeInferRequest(m, {}).ok()) << i;
  }
  auto seq = Request(false);
  ok[3](*seq->mutable_parameters());
  auto numeric = DecodeInferRequest(seq, {});
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->request->sequence_id, (core::CorrelationId{7, ""}));
  EXPECT_TRUE(numeric->request->sequence_start);
  EXPECT_FALSE(numeric->request->sequence_end);
  seq = Request(false);
  ok[0](*seq->mutable_parameters());
  auto text = DecodeInferRequest(seq, {});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->request->sequence_id, (core::CorrelationId{0, "abc"}));
  std::vector<std::function<void(google::protobuf::Map<std::string, InferParameter>&)>> bad = {
      [](auto& p) { p["sequence_id"].set_int64_param(-1); },
      [](auto& p) { p["sequence_id"].set_string_param(""); },
      [](auto& p) { p["sequence_id"].set_bool_param(true); },
      [](auto& p) { p["sequence_id"].set_double_param(1.0); },
      [](auto& p) { p["sequence_start"].set_int64_param(1); },
      [](auto& p) { p["sequence_end"].set_string_param("true"); },
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    auto m = Request(false);
    bad[i](*m->mutable_parameters());
    EXPECT_NE(Error(m).find("parameter 'sequence_"), std::string::npos) << i;
  }
}

core::InferenceResponse Response(core::DataType dtype, std::vector<std::byte>& storage) {
  storage.assign(4, std::byte{1});
  core::InferenceResponse response{"m", 3, "id", {}};
  response.outputs.push_back(
      {"OUT", dtype, {1, 4 / static_cast<int64_t>(core::ElementSize(dtype))}, storage, nullptr});
  return response;
}

// Triton's clients read raw_output_contents only, whatever form the request used.
TEST(InferCodecTest, EncodesEveryOutputRaw) {
  for (core::DataType dtype : {core::DataType::kInt32, core::DataType::kFp16}) {
    std::vector<std::byte> storage;
    ::inference::ModelInferResponse out;
    ASSERT_TRUE(EncodeInferResponse(Response(dtype, storage), out).ok());
    EXPECT_EQ(out.model_version(), "3");
    EXPECT_EQ(out.id(), "id");
    ASSERT_EQ(out.raw_output_contents_size(), 1);
    EXPECT_EQ(out.raw_output_contents(0), std::string(4, '\x01'));
    EXPECT_FALSE(out.outputs(0).has_contents());
    EXPECT_EQ(out.outputs(0).datatype(), core::DataTypeName(dtype));
  }
}

TEST(InferCodecTest, BytesOutputsAreLengthPrefixed) {
  const std::string layout(
      "\x02\x00\x00\x00"
      "ab"
      "\x00\x00\x00\x00",
      10);  // "ab", ""
  std::vector<std::byte> storage(reinterpret_cast<const std::byte*>(layout.data()),
                                 reinterpret_cast<const std::byte*>(layout.data()) + layout.size());
  core::InferenceResponse response{"m", 1, "", {}};
  response.outputs.push_back({"OUT", core::DataType::kBytes, {2}, storage, nullptr});
  ::inference::ModelInferResponse out;
  ASSERT_TRUE(EncodeInferResponse(response, out).ok());
  ASSERT_EQ(out.raw_output_contents_size(), 1);
  EXPECT_EQ(out.raw_output_contents(0), layout);
  EXPECT_EQ(out.outputs(0).datatype(), "BYTES");
}

}  // namespace
}  // namespace inferd::frontend::grpc
