// Every malformed or invalid request gets a 4xx with a clear {"error": ...} message, and the
// server keeps serving correct answers afterwards.
#include <numeric>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

constexpr size_t kMaxInput = 1 << 20;

class HttpBadRequestTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository"),
                 "--http-max-input-size", std::to_string(kMaxInput)});
  }

  // Posts `body` to simple's infer endpoint and checks status and that the error names `needle`.
  static void ExpectError(const std::string& body, int status, const std::string& needle,
                          const std::map<std::string, std::string>& headers = {},
                          const std::string& model = "simple") {
    auto c = Connect();
    auto r = c.Post("/v2/models/" + model + "/infer", body, headers);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, status) << r->body;
    auto doc = ParseJson(r->body);
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("error")) << r->body;
    EXPECT_NE(std::string(doc["error"].GetString()).find(needle), std::string::npos)
        << "error '" << doc["error"].GetString() << "' does not mention '" << needle << "'";
    ExpectStillServing();
  }

  static void ExpectStillServing() {
    auto c = Connect();
    auto r = c.Post("/v2/models/simple/infer",
                    "{\"inputs\":[" + Input("INPUT0", "[1,16]", "INT32", Ones(16)) + "," +
                        Input("INPUT1", "[1,16]", "INT32", Ones(16)) + "]}");
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->status, 200) << r->body;
    auto doc = ParseJson(r->body);
    EXPECT_EQ(doc["outputs"][0]["data"][3].GetInt(), 2);
  }

  static std::string Ones(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += i ? ",1" : "1";
    return s;
  }
  static std::string Input(const std::string& name, const std::string& shape,
                           const std::string& type, const std::string& data) {
    return R"({"name":")" + name + R"(","shape":)" + shape + R"(,"datatype":")" + type +
           R"(","data":[)" + data + "]}";
  }
  static std::string Request(const std::string& in0, const std::string& in1,
                             const std::string& extra = "") {
    return "{\"inputs\":[" + in0 + "," + in1 + "]" + extra + "}";
  }
  static std::string Good0() { return Input("INPUT0", "[1,16]", "INT32", Ones(16)); }
  static std::string Good1() { return Input("INPUT1", "[1,16]", "INT32", Ones(16)); }
};

TEST_F(HttpBadRequestTest, MalformedAndDeeplyNestedJson) {
  ExpectError("{\"inputs\": [", 400, "JSON");
  ExpectError("not json at all", 400, "JSON");
  ExpectError(std::string(200000, '['), 400, "");
  ExpectError(R"({"inputs": 5})", 400, "inputs");
  ExpectError("", 400, "");
}

TEST_F(HttpBadRequestTest, ShapeTypeAndSizeErrors) {
  ExpectError(Request(Input("INPUT0", "[1,15]", "INT32", Ones(15)), Good1()), 400,
              "unexpected shape");
  ExpectError(Request(Input("INPUT0", "[1,16]", "FP32", Ones(16)), Good1()), 400,
              "inference input 'INPUT0' data-type is 'FP32', but model 'simple' expects 'INT32'");
  ExpectError(Request(Input("INPUT0", "[1,16]", "INT32", Ones(15)), Good1()), 400, "");
  ExpectError(Request(Input("INPUT0", "[1,16]", "FLOAT", Ones(16)), Good1()), 400, "FLOAT");
  ExpectError(Request(Input("INPUT0", "[9,16]", "INT32", Ones(144)),
                      Input("INPUT1", "[9,16]", "INT32", Ones(144))),
              400, "batch-size");
  ExpectError(Request(Input("INPUT0", "[1,9223372036854775807]", "INT32", "1"), Good1()), 400, "");
  ExpectError(Request(Input("INPUT0", "[-1,16]", "INT32", Ones(16)), Good1()), 400, "");
  ExpectError(Request(Input("INPUT0", "[1,16]", "INT32", Ones(15) + ",\"x\""), Good1()), 400, "");
}

// Triton's rules for the sequence parameters; a float out of its type's range names the input.
TEST_F(HttpBadRequestTest, SequenceParametersAndOutOfRangeFloats) {
  for (const char* bad : {R"("sequence_id":-1)", R"("sequence_id":18446744073709551621)",
                          R"("sequence_id":"")", R"("sequence_start":1)"}) {
    ExpectError(Request(Good0(), Good1(), std::string(R"(,"parameters":{)") + bad + "}"), 400,
                "parameter 'sequence_");
  }
  auto c = Connect();
  auto ok = c.Post("/v2/models/simple/infer",
                   Request(Good0(), Good1(), R"(,"parameters":{"sequence_id":"abc"})"));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200) << ok->body;
  std::string data = "1e39";
  for (int i = 1; i < 16; ++i) data += ",1";
  auto overflow = c.Post("/v2/models/add_sub_fp32/infer",
                         "{\"inputs\":[" + Input("INPUT0", "[1,16]", "FP32", data) + "," +
                             Input("INPUT1", "[1,16]", "FP32", Ones(16)) + "]}");
  ASSERT_TRUE(overflow.ok()) << overflow.status();
  EXPECT_EQ(overflow->status, 400) << overflow->body;
  EXPECT_NE(overflow->body.find("input 'INPUT0': value 1e+39 is out of range for FP32"),
            std::string::npos)
      << overflow->body;
}

TEST_F(HttpBadRequestTest, InputAndOutputNameErrors) {
  ExpectError("{\"inputs\":[" + Good0() + "]}", 400, "INPUT1");
  ExpectError(Request(Good0(), Good1().replace(9, 6, "NOPE_1")), 400, "NOPE_1");
  ExpectError(Request(Good0(), Good0()), 400, "INPUT0");
  ExpectError(Request(Good0(), Good1(), R"(,"outputs":[{"name":"NOPE"}])"), 400, "NOPE");
  ExpectError(Request(Good0(), Good1(), R"(,"outputs":[{"name":"OUTPUT0"},{"name":"OUTPUT0"}])"),
              400, "OUTPUT0");
}

TEST_F(HttpBadRequestTest, BinaryExtensionErrors) {
  const std::string header = R"({"inputs":[
    {"name":"INPUT0","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":64}},
    {"name":"INPUT1","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":64}}]})";
  const std::string data(128, '\1');
  auto ok = MakeBinaryBody(header, {data});
  {
    auto c = Connect();
    auto r = c.Post("/v2/models/simple/infer", ok.body, ok.headers);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  auto bad = ok;
  bad.headers["Inference-Header-Content-Length"] = std::to_string(ok.body.size() + 10);
  ExpectError(bad.body, 400, "Inference-Header-Content-Length", bad.headers);
  bad.headers["Inference-Header-Content-Length"] = "-5";
  ExpectError(bad.body, 400, "Inference-Header-Content-Length", bad.headers);
  bad.headers["Inference-Header-Content-Length"] = "abc";
  ExpectError(bad.body, 400, "Inference-Header-Content-Length", bad.headers);

  auto truncated = MakeBinaryBody(header, {data.substr(0, 100)});
  ExpectError(truncated.body, 400, "", truncated.headers);
  auto extra = MakeBinaryBody(header, {data + "xx"});
  ExpectError(extra.body, 400, "", extra.headers);
  auto wrong_size = MakeBinaryBody(
      R"({"inputs":[
    {"name":"INPUT0","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":60}},
    {"name":"INPUT1","shape":[1,16],"datatype":"INT32","parameters":{"binary_data_size":68}}]})",
      {data});
  ExpectError(wrong_size.body, 400,
              "input byte size mismatch for input 'INPUT0' for model 'simple'. Expected 64, got 60",
              wrong_size.headers);
}

TEST_F(HttpBadRequestTest, UnknownModelVersionAndOversizeBody) {
  // Triton's code and text for an unknown model (its clients match on the text).
  ExpectError(Request(Good0(), Good1()), 400, "Request for unknown model: 'nope' is not found", {},
              "nope");
  ExpectError(Request(Good0(), Good1()), 400, "", {}, "simple/versions/abc");
  std::string big(kMaxInput + 1024, ' ');
  auto c = Connect();
  auto r = c.Post("/v2/models/simple/infer", big);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 413) << r->body;
  ExpectStillServing();
}

TEST_F(HttpBadRequestTest, UnknownRoutesAndMethods) {
  auto c = Connect();
  EXPECT_EQ(c.Get("/v3/whatever")->status, 404);
  EXPECT_EQ(c.Request("DELETE", "/v2/models/simple")->status, 405);
  ExpectStillServing();
}

}  // namespace
}  // namespace inferd::testing
