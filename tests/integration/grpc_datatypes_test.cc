// Every datatype through the real server over gRPC, as typed contents and as raw contents, on
// an identity model (identity_all_types: IN_<TYPE> -> OUT_<TYPE>, shape [-1,-1]).
#include <map>

#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

struct TypeCase {
  std::string name;                                              // KServe datatype
  std::string suffix;                                            // IN_/OUT_ suffix in the model
  std::string raw;                                               // two elements, raw layout
  std::function<void(::inference::InferTensorContents&)> typed;  // null: raw only
};

std::string U16(uint16_t a, uint16_t b) { return RawBytes(std::vector<uint16_t>{a, b}); }

std::vector<TypeCase> Cases() {
  using C = ::inference::InferTensorContents;
  return {
      {"BOOL", "BOOL", std::string("\1\0", 2),
       [](C& c) { c.add_bool_contents(true), c.add_bool_contents(false); }},
      {"UINT8", "UINT8", RawBytes(std::vector<uint8_t>{0, 255}),
       [](C& c) { c.add_uint_contents(0), c.add_uint_contents(255); }},
      {"UINT16", "UINT16", RawBytes(std::vector<uint16_t>{1, 65535}),
       [](C& c) { c.add_uint_contents(1), c.add_uint_contents(65535); }},
      {"UINT32", "UINT32", RawBytes(std::vector<uint32_t>{2, 4294967295u}),
       [](C& c) { c.add_uint_contents(2), c.add_uint_contents(4294967295u); }},
      {"UINT64", "UINT64", RawBytes(std::vector<uint64_t>{3, UINT64_MAX}),
       [](C& c) { c.add_uint64_contents(3), c.add_uint64_contents(UINT64_MAX); }},
      {"INT8", "INT8", RawBytes(std::vector<int8_t>{-128, 127}),
       [](C& c) { c.add_int_contents(-128), c.add_int_contents(127); }},
      {"INT16", "INT16", RawBytes(std::vector<int16_t>{-32768, 32767}),
       [](C& c) { c.add_int_contents(-32768), c.add_int_contents(32767); }},
      {"INT32", "INT32", RawBytes(std::vector<int32_t>{INT32_MIN, 7}),
       [](C& c) { c.add_int_contents(INT32_MIN), c.add_int_contents(7); }},
      {"INT64", "INT64", RawBytes(std::vector<int64_t>{INT64_MIN, 9}),
       [](C& c) { c.add_int64_contents(INT64_MIN), c.add_int64_contents(9); }},
      {"FP16", "FP16", U16(0x3E00, 0xC000), nullptr},
      {"BF16", "BF16", U16(0x3FC0, 0xC000), nullptr},
      {"FP32", "FP32", RawBytes(std::vector<float>{0.25f, -3.5f}),
       [](C& c) { c.add_fp32_contents(0.25f), c.add_fp32_contents(-3.5f); }},
      {"FP64", "FP64", RawBytes(std::vector<double>{0.125, 1e300}),
       [](C& c) { c.add_fp64_contents(0.125), c.add_fp64_contents(1e300); }},
      {"BYTES", "STRING", std::string("\5\0\0\0hello\0\0\0\0", 13),
       [](C& c) { c.add_bytes_contents("hello"), c.add_bytes_contents(""); }},
  };
}

class GrpcDatatypesTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("tests/testdata/model_repository")});
  }
  static ::inference::ModelInferRequest::InferInputTensor* AddInput(ModelInferRequest& q,
                                                                    const TypeCase& t) {
    auto* in = q.add_inputs();
    in->set_name("IN_" + t.suffix);
    in->set_datatype(t.name);
    in->add_shape(1);
    in->add_shape(2);
    return in;
  }
  static std::map<std::string, int> OutputIndex(const ModelInferResponse& r) {
    std::map<std::string, int> index;
    for (int i = 0; i < r.outputs_size(); ++i) index[r.outputs(i).name()] = i;
    return index;
  }
};

// Typed inputs are accepted; the outputs come back in raw_output_contents, as Triton answers.
TEST_F(GrpcDatatypesTest, TypedContentsComeBackRawForEveryTypedDatatype) {
  ModelInferRequest q;
  q.set_model_name("identity_all_types");
  std::map<std::string, std::string> sent;  // output name -> expected raw bytes
  for (const auto& t : Cases()) {
    if (!t.typed) {
      // FP16/BF16 have no typed form: send them empty and leave them out of the outputs.
      AddInput(q, t)->set_shape(1, 0);
      continue;
    }
    auto* in = AddInput(q, t);
    t.typed(*in->mutable_contents());
    sent["OUT_" + t.suffix] = t.raw;
    q.add_outputs()->set_name("OUT_" + t.suffix);
  }
  ::grpc::ClientContext c;
  Bound(c);
  ModelInferResponse r;
  ::grpc::Status s = stub_->ModelInfer(&c, q, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(r.raw_output_contents_size(), r.outputs_size());
  auto index = OutputIndex(r);
  for (const auto& [name, raw] : sent) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(index.count(name));
    const auto& out = r.outputs(index[name]);
    EXPECT_EQ(std::vector<int64_t>(out.shape().begin(), out.shape().end()),
              (std::vector<int64_t>{1, 2}));
    EXPECT_FALSE(out.has_contents());
    EXPECT_EQ(r.raw_output_contents(index[name]), raw);
  }
}

TEST_F(GrpcDatatypesTest, RawContentsRoundTripEveryDatatype) {
  ModelInferRequest q;
  q.set_model_name("identity_all_types");
  for (const auto& t : Cases()) {
    AddInput(q, t);
    q.add_raw_input_contents(t.raw);
  }
  ::grpc::ClientContext c;
  Bound(c);
  ModelInferResponse r;
  ::grpc::Status s = stub_->ModelInfer(&c, q, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(r.raw_output_contents_size(), r.outputs_size());
  auto index = OutputIndex(r);
  for (const auto& t : Cases()) {
    SCOPED_TRACE(t.name);
    ASSERT_TRUE(index.count("OUT_" + t.suffix));
    EXPECT_EQ(r.outputs(index["OUT_" + t.suffix]).datatype(), t.name);
    EXPECT_EQ(r.raw_output_contents(index["OUT_" + t.suffix]), t.raw);
  }
}

}  // namespace
}  // namespace inferd::testing
