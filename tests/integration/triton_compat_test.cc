// What Triton's own clients and example scripts rely on, over HTTP and gRPC against the real
// binary: Triton's error texts and codes, the server metadata, and Triton's example models
// (simple_string, simple_identity, simple_int8 from scripts/make_models.py).
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "client/http_connection.h"
#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

class TritonCompatTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository")});
  }

  struct HttpAnswer {
    int status = 0;
    std::string error;
    rapidjson::Document doc;
  };

  static HttpAnswer HttpCall(const std::string& method, const std::string& target,
                             const std::string& body = "") {
    client::HttpConnection c("127.0.0.1", server_->http_port());
    auto r = method == "GET" ? c.Get(target) : c.Post(target, body);
    HttpAnswer answer;
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return answer;
    answer.status = r->status;
    answer.doc.Parse(r->body.c_str());
    if (answer.doc.IsObject() && answer.doc.HasMember("error")) {
      answer.error = answer.doc["error"].GetString();
    }
    return answer;
  }

  static ::grpc::Status GrpcInfer(const ModelInferRequest& q, ModelInferResponse* r = nullptr) {
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse ignored;
    return stub_->ModelInfer(&c, q, r != nullptr ? r : &ignored);
  }

  // One request in both protocols: the same code and the same text.
  struct Case {
    std::string what;
    std::string model;
    std::string http_body;  // JSON request for /v2/models/<model>/infer
    ModelInferRequest grpc;
    int http_status;
    ::grpc::StatusCode grpc_code;
    std::string text;
  };

  static void ExpectCase(const Case& c) {
    SCOPED_TRACE(c.what);
    const HttpAnswer http = HttpCall("POST", "/v2/models/" + c.model + "/infer", c.http_body);
    EXPECT_EQ(http.status, c.http_status);
    EXPECT_NE(http.error.find(c.text), std::string::npos) << http.error;
    const ::grpc::Status grpc = GrpcInfer(c.grpc);
    EXPECT_EQ(grpc.error_code(), c.grpc_code) << grpc.error_message();
    EXPECT_NE(grpc.error_message().find(c.text), std::string::npos) << grpc.error_message();
  }
};

std::string JsonInput(const std::string& name, const std::string& shape, const std::string& type,
                      int count, const std::string& value = "1") {
  std::string data;
  for (int i = 0; i < count; ++i) data += (i ? "," : "") + value;
  return R"({"name":")" + name + R"(","shape":)" + shape + R"(,"datatype":")" + type +
         R"(","data":[)" + data + "]}";
}

std::string JsonRequest(const std::vector<std::string>& inputs) {
  std::string body = R"({"inputs":[)";
  for (size_t i = 0; i < inputs.size(); ++i) body += (i ? "," : "") + inputs[i];
  return body + "]}";
}

ModelInferRequest SimpleWith(int64_t batch, int elements_per_row = 16) {
  ModelInferRequest q;
  q.set_model_name("simple");
  for (const char* name : {"INPUT0", "INPUT1"}) {
    auto* t = q.add_inputs();
    t->set_name(name);
    t->set_datatype("INT32");
    t->add_shape(batch);
    t->add_shape(elements_per_row);
    q.add_raw_input_contents(RawBytes(std::vector<int32_t>(batch * elements_per_row, 1)));
  }
  return q;
}

TEST_F(TritonCompatTest, ErrorTextsAndCodesAreTritons) {
  const auto good0 = JsonInput("INPUT0", "[1,16]", "INT32", 16);
  const auto good1 = JsonInput("INPUT1", "[1,16]", "INT32", 16);
  constexpr auto kInvalidArgumentCode = ::grpc::StatusCode::INVALID_ARGUMENT;

  ModelInferRequest unknown_model = SimpleWith(1);
  unknown_model.set_model_name("nope");
  ExpectCase({"unknown model", "nope", JsonRequest({good0, good1}), unknown_model, 400,
              kInvalidArgumentCode, "Request for unknown model: 'nope' is not found"});

  ModelInferRequest unknown_version = SimpleWith(1);
  unknown_version.set_model_version("7");
  ExpectCase({"unknown version", "simple/versions/7", JsonRequest({good0, good1}), unknown_version,
              404, ::grpc::StatusCode::NOT_FOUND,
              "Request for unknown model: 'simple' version 7 is not found"});

  ModelInferRequest missing = SimpleWith(1);
  missing.mutable_inputs()->RemoveLast();
  missing.mutable_raw_input_contents()->RemoveLast();
  ExpectCase({"missing input", "simple", JsonRequest({good0}), missing, 400, kInvalidArgumentCode,
              "expected 2 inputs but got 1 inputs for model 'simple'. Got input(s) ['INPUT0'], "
              "but missing required input(s) ['INPUT1']. Please provide all required input(s)."});

  ModelInferRequest unexpected = SimpleWith(1);
  unexpected.mutable_inputs(1)->set_name("INPUT9");
  ExpectCase({"unexpected input", "simple",
              JsonRequest({good0, JsonInput("INPUT9", "[1,16]", "INT32", 16)}), unexpected, 400,
              kInvalidArgumentCode, "unexpected inference input 'INPUT9' for model 'simple'"});

  ModelInferRequest wrong_type = SimpleWith(1);
  wrong_type.mutable_inputs(1)->set_datatype("FP32");
  ExpectCase({"wrong datatype", "simple",
              JsonRequest({good0, JsonInput("INPUT1", "[1,16]", "FP32", 16)}), wrong_type, 400,
              kInvalidArgumentCode,
              "inference input 'INPUT1' data-type is 'FP32', but model 'simple' expects 'INT32'"});

  ExpectCase({"wrong shape", "simple",
              JsonRequest({JsonInput("INPUT0", "[1,8]", "INT32", 8),
                           JsonInput("INPUT1", "[1,8]", "INT32", 8)}),
              SimpleWith(1, 8), 400, kInvalidArgumentCode,
              "unexpected shape for input 'INPUT0' for model 'simple'. Expected [-1,16], got "
              "[1,8]. NOTE: Setting a non-zero max_batch_size"});

  ExpectCase({"batch size over max", "simple",
              JsonRequest({JsonInput("INPUT0", "[9,16]", "INT32", 144),
                           JsonInput("INPUT1", "[9,16]", "INT32", 144)}),
              SimpleWith(9), 400, kInvalidArgumentCode,
              "inference request batch-size must be <= 8 for 'simple'"});
}

TEST_F(TritonCompatTest, ByteSizeMismatchIsTritonsInBothProtocols) {
  ModelInferRequest q = SimpleWith(1);
  q.set_raw_input_contents(0, q.raw_input_contents(0).substr(0, 60));
  const ::grpc::Status grpc = GrpcInfer(q);
  EXPECT_EQ(grpc.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(grpc.error_message().find("input byte size mismatch for input 'INPUT0' for model "
                                      "'simple'. Expected 64, got 60"),
            std::string::npos)
      << grpc.error_message();

  // The binary tensor extension: the JSON header, then 60 + 64 bytes.
  const std::string header =
      R"({"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":60}},)"
      R"({"name":"INPUT1","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":64}}]})";
  client::HttpConnection c("127.0.0.1", server_->http_port());
  auto r = c.Post("/v2/models/simple/infer", header + std::string(124, '\1'),
                  {{"Inference-Header-Content-Length", std::to_string(header.size())}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("input byte size mismatch for input 'INPUT0' for model 'simple'. "
                         "Expected 64, got 60"),
            std::string::npos)
      << r->body;
}

TEST_F(TritonCompatTest, ModelMetadataOfAnUnknownModelIsTritons) {
  const HttpAnswer http = HttpCall("GET", "/v2/models/wrong_model_name");
  EXPECT_EQ(http.status, 400);
  EXPECT_EQ(http.error, "Request for unknown model: 'wrong_model_name' is not found");
  ::grpc::ClientContext c;
  Bound(c);
  ::inference::ModelMetadataRequest q;
  q.set_name("wrong_model_name");
  ::inference::ModelMetadataResponse r;
  const ::grpc::Status s = stub_->ModelMetadata(&c, q, &r);
  EXPECT_EQ(s.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "Request for unknown model: 'wrong_model_name' is not found");
}

TEST_F(TritonCompatTest, ServerMetadataListsWhatInferdServes) {
  const std::vector<std::string> expected = {"classification",
                                             "model_repository",
                                             "model_repository(unload_dependents)",
                                             "schedule_policy",
                                             "model_configuration",
                                             "binary_tensor_data",
                                             "system_shared_memory",
                                             "statistics",
                                             "trace",
                                             "logging"};
  const HttpAnswer http = HttpCall("GET", "/v2");
  ASSERT_EQ(http.status, 200);
  EXPECT_STREQ(http.doc["name"].GetString(), "inferd");
  std::vector<std::string> http_extensions;
  for (const auto& e : http.doc["extensions"].GetArray()) http_extensions.push_back(e.GetString());
  EXPECT_EQ(http_extensions, expected);

  ::grpc::ClientContext c;
  Bound(c);
  ::inference::ServerMetadataResponse r;
  ASSERT_TRUE(stub_->ServerMetadata(&c, ::inference::ServerMetadataRequest(), &r).ok());
  EXPECT_EQ(r.name(), "inferd");
  EXPECT_EQ(std::vector<std::string>(r.extensions().begin(), r.extensions().end()), expected);
}

// BYTES tensors in the raw layout: a 4-byte little-endian length, then the bytes.
std::string RawStrings(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    const auto n = static_cast<uint32_t>(v.size());
    out.append(reinterpret_cast<const char*>(&n), 4);
    out += v;
  }
  return out;
}

std::vector<std::string> SplitStrings(const std::string& raw) {
  std::vector<std::string> out;
  for (size_t at = 0; at + 4 <= raw.size();) {
    uint32_t n = 0;
    std::memcpy(&n, raw.data() + at, 4);
    out.push_back(raw.substr(at + 4, n));
    at += 4 + n;
  }
  return out;
}

TEST_F(TritonCompatTest, SimpleStringAddsDecimalStringsOverGrpc) {
  ModelInferRequest q;
  q.set_model_name("simple_string");
  std::vector<std::string> in0, in1;
  for (int i = 0; i < 16; ++i) {
    in0.push_back(std::to_string(i));
    in1.push_back("1");
  }
  for (const char* name : {"INPUT0", "INPUT1"}) {
    auto* t = q.add_inputs();
    t->set_name(name);
    t->set_datatype("BYTES");
    t->add_shape(1);
    t->add_shape(16);
  }
  q.add_raw_input_contents(RawStrings(in0));
  q.add_raw_input_contents(RawStrings(in1));
  ModelInferResponse r;
  const ::grpc::Status s = GrpcInfer(q, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(r.outputs_size(), 2);
  ASSERT_EQ(r.raw_output_contents_size(), 2);
  for (int o = 0; o < 2; ++o) {
    EXPECT_EQ(r.outputs(o).datatype(), "BYTES");
    const auto values = SplitStrings(r.raw_output_contents(o));
    ASSERT_EQ(values.size(), 16u);
    const bool sum = r.outputs(o).name() == "OUTPUT0";
    for (int i = 0; i < 16; ++i) EXPECT_EQ(values[i], std::to_string(sum ? i + 1 : i - 1));
  }
}

TEST_F(TritonCompatTest, SimpleStringAndIdentityOverHttp) {
  std::string in0 = R"({"name":"INPUT0","shape":[1,16],"datatype":"BYTES","data":[)";
  for (int i = 0; i < 16; ++i) in0 += (i ? ",\"" : "\"") + std::to_string(i * 2) + "\"";
  in0 += "]}";
  const HttpAnswer sum =
      HttpCall("POST", "/v2/models/simple_string/infer",
               JsonRequest({in0, JsonInput("INPUT1", "[1,16]", "BYTES", 16, "\"3\"")}));
  ASSERT_EQ(sum.status, 200) << sum.error;
  const auto& outputs = sum.doc["outputs"];
  ASSERT_EQ(outputs.Size(), 2u);
  for (const auto& output : outputs.GetArray()) {
    const bool is_sum = std::string(output["name"].GetString()) == "OUTPUT0";
    EXPECT_STREQ(output["datatype"].GetString(), "BYTES");
    ASSERT_EQ(output["data"].Size(), 16u);
    EXPECT_EQ(std::string(output["data"][5].GetString()), is_sum ? "13" : "7");
  }

  const HttpAnswer echo =
      HttpCall("POST", "/v2/models/simple_identity/infer",
               R"({"inputs":[{"name":"INPUT0","shape":[2,3],"datatype":"BYTES",)"
               R"("data":["a","bc","","d e","\u00e9","xyz"]}]})");
  ASSERT_EQ(echo.status, 200) << echo.error;
  const auto& out = echo.doc["outputs"][0];
  EXPECT_STREQ(out["name"].GetString(), "OUTPUT0");
  EXPECT_EQ(out["shape"][1].GetInt(), 3);
  EXPECT_EQ(std::string(out["data"][3].GetString()), "d e");
  EXPECT_EQ(std::string(out["data"][4].GetString()), "\xc3\xa9");
}

TEST_F(TritonCompatTest, SimpleInt8AndIdentityOverGrpc) {
  ModelInferRequest q;
  q.set_model_name("simple_int8");
  std::vector<int8_t> in0(16), in1(16, 2);
  for (int i = 0; i < 16; ++i) in0[i] = static_cast<int8_t>(i - 8);
  for (const char* name : {"INPUT0", "INPUT1"}) {
    auto* t = q.add_inputs();
    t->set_name(name);
    t->set_datatype("INT8");
    t->add_shape(1);
    t->add_shape(16);
  }
  q.add_raw_input_contents(RawBytes(in0));
  q.add_raw_input_contents(RawBytes(in1));
  ModelInferResponse r;
  ::grpc::Status s = GrpcInfer(q, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(r.raw_output_contents_size(), 2);
  const auto sum = FromRaw<int8_t>(r.raw_output_contents(0));
  const auto difference = FromRaw<int8_t>(r.raw_output_contents(1));
  ASSERT_EQ(sum.size(), 16u);
  ASSERT_EQ(difference.size(), 16u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(sum[i], i - 6);
    EXPECT_EQ(difference[i], i - 10);
  }

  ModelInferRequest echo;
  echo.set_model_name("simple_identity");
  auto* t = echo.add_inputs();
  t->set_name("INPUT0");
  t->set_datatype("BYTES");
  t->add_shape(1);
  t->add_shape(3);
  const std::vector<std::string> values = {std::string("\0\xff", 2), "", "text"};
  echo.add_raw_input_contents(RawStrings(values));
  ModelInferResponse echoed;
  s = GrpcInfer(echo, &echoed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(echoed.raw_output_contents_size(), 1);
  EXPECT_EQ(SplitStrings(echoed.raw_output_contents(0)), values);
}

}  // namespace
}  // namespace inferd::testing
