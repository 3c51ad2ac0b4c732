// Every malformed or invalid gRPC request gets a non-OK status with a clear message, and the
// server keeps serving correct answers afterwards.
#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

class GrpcBadRequestTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository")});
  }

  static void ExpectError(const ModelInferRequest& q, ::grpc::StatusCode code,
                          const std::string& needle) {
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse r;
    const ::grpc::Status s = stub_->ModelInfer(&c, q, &r);
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_NE(s.error_message().find(needle), std::string::npos)
        << "error '" << s.error_message() << "' does not mention '" << needle << "'";
    ExpectStillServing();
  }

  static void ExpectStillServing() {
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse r;
    const ::grpc::Status s = stub_->ModelInfer(&c, SimpleRequest(1, true), &r);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(Output0(r)[3], 5);
  }
};

constexpr auto kInvalid = ::grpc::StatusCode::INVALID_ARGUMENT;

TEST_F(GrpcBadRequestTest, MalformedTypedContents) {
  auto q = SimpleRequest(0, false);
  q.mutable_inputs(0)->mutable_contents()->add_fp32_contents(1.0f);
  ExpectError(q, kInvalid, "fp32_contents holds values");
  q = SimpleRequest(0, false);
  q.mutable_inputs(0)->mutable_contents()->add_int_contents(1);
  ExpectError(q, kInvalid, "int_contents holds 17 values");
}

TEST_F(GrpcBadRequestTest, WrongShapeAndDatatype) {
  auto q = SimpleRequest(0, true);
  q.mutable_inputs(0)->set_shape(1, 8);
  q.set_raw_input_contents(0, q.raw_input_contents(0).substr(0, 32));
  ExpectError(q, kInvalid, "INPUT0");
  q = SimpleRequest(0, true);
  q.mutable_inputs(1)->set_datatype("FP32");
  ExpectError(q, kInvalid, "INPUT1");
  q = SimpleRequest(0, true);
  q.mutable_inputs(1)->set_datatype("FLOAT");
  ExpectError(q, kInvalid, "unknown datatype");
}

TEST_F(GrpcBadRequestTest, RawSizeMismatch) {
  auto q = SimpleRequest(0, true);
  q.mutable_raw_input_contents(1)->append("xyz");
  ExpectError(
      q, kInvalid,
      "input byte size mismatch for input 'INPUT1' for model 'simple'. Expected 64, got 67");
  q = SimpleRequest(0, true);
  q.add_raw_input_contents("extra");
  ExpectError(q, kInvalid, "3 entries for 2 inputs");
}

TEST_F(GrpcBadRequestTest, MissingUnknownAndDuplicateInputs) {
  auto q = SimpleRequest(0, false);
  q.mutable_inputs()->RemoveLast();
  ExpectError(q, kInvalid, "INPUT1");
  q = SimpleRequest(0, false);
  q.mutable_inputs(1)->set_name("INPUT9");
  ExpectError(q, kInvalid, "INPUT9");
  q = SimpleRequest(0, false);
  q.mutable_inputs(1)->set_name("INPUT0");
  ExpectError(q, kInvalid, "appears twice");
}

TEST_F(GrpcBadRequestTest, UnknownAndDuplicateOutputs) {
  auto q = SimpleRequest(0, true);
  q.add_outputs()->set_name("OUTPUT7");
  ExpectError(q, kInvalid, "OUTPUT7");
  q = SimpleRequest(0, true);
  q.add_outputs()->set_name("OUTPUT0");
  q.add_outputs()->set_name("OUTPUT0");
  ExpectError(q, kInvalid, "requested twice");
}

TEST_F(GrpcBadRequestTest, MixedRawAndTyped) {
  auto q = SimpleRequest(0, true);
  q.mutable_inputs(0)->mutable_contents()->add_int_contents(1);
  ExpectError(q, kInvalid, "use one form for all inputs");
}

TEST_F(GrpcBadRequestTest, HugeAndNegativeDims) {
  auto q = SimpleRequest(0, true);
  q.mutable_inputs(0)->set_shape(0, int64_t{1} << 40);
  ExpectError(q, kInvalid, "INPUT0");
  q = SimpleRequest(0, true);
  q.mutable_inputs(0)->set_shape(0, -3);
  ExpectError(q, kInvalid, "INPUT0");
  q = SimpleRequest(0, true);
  for (int i = 0; i < 40; ++i) q.mutable_inputs(0)->add_shape(1);
  ExpectError(q, kInvalid, "too many dimensions");
}

TEST_F(GrpcBadRequestTest, BatchOverMaxBatchSize) {
  auto q = SimpleRequest(0, true);
  for (int input = 0; input < 2; ++input) {
    q.mutable_inputs(input)->set_shape(0, 9);
    q.set_raw_input_contents(input, RawBytes(std::vector<int32_t>(9 * 16, 1)));
  }
  ExpectError(q, kInvalid, "batch");
}

TEST_F(GrpcBadRequestTest, Fp16InTypedContents) {
  auto q = SimpleRequest(0, false);
  q.mutable_inputs(0)->set_datatype("FP16");
  ExpectError(q, kInvalid, "must be sent in raw_input_contents");
}

TEST_F(GrpcBadRequestTest, UnknownModelAndVersion) {
  auto q = SimpleRequest(0, true);
  q.set_model_name("nope");
  ExpectError(q, kInvalid, "Request for unknown model: 'nope' is not found");  // as Triton
  q = SimpleRequest(0, true);
  q.set_model_version("7");
  ExpectError(q, ::grpc::StatusCode::NOT_FOUND,
              "Request for unknown model: 'simple' version 7 is not found");
  q = SimpleRequest(0, true);
  q.set_model_version("-1");
  ExpectError(q, kInvalid, "not a positive integer");
}

TEST_F(GrpcBadRequestTest, NegativeParameters) {
  auto q = SimpleRequest(0, true);
  (*q.mutable_parameters())["timeout"].set_int64_param(-5);
  ExpectError(q, kInvalid, "timeout");
}

}  // namespace
}  // namespace inferd::testing
