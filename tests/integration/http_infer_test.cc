// inferd serve over real sockets: KServe v2 inference (JSON and binary) on the example models,
// with outputs checked against values computed here.
#include <cmath>
#include <numeric>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

class HttpInferTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository")});
  }
};

std::string SimpleJsonRequest(const std::vector<int>& a, const std::vector<int>& b,
                              const std::string& extra = "") {
  auto join = [](const std::vector<int>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
    return s;
  };
  return R"({"id":"req-1",)" + extra + R"("inputs":[
    {"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[)" +
         join(a) + R"(]},
    {"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[)" +
         join(b) + "]}]}";
}

std::vector<int> Iota(int start) {
  std::vector<int> v(16);
  std::iota(v.begin(), v.end(), start);
  return v;
}

TEST_F(HttpInferTest, HealthAndMetadata) {
  auto c = Connect();
  EXPECT_EQ(c.Get("/v2/health/live")->status, 200);
  EXPECT_EQ(c.Get("/v2/health/ready")->status, 200);
  auto meta = c.Get("/v2");
  ASSERT_TRUE(meta.ok());
  auto doc = ParseJson(meta->body);
  EXPECT_STREQ(doc["name"].GetString(), "inferd");
  EXPECT_TRUE(doc["extensions"].IsArray());

  auto model = c.Get("/v2/models/simple");
  ASSERT_EQ(model->status, 200) << model->body;
  auto m = ParseJson(model->body);
  EXPECT_STREQ(m["name"].GetString(), "simple");
  EXPECT_STREQ(m["inputs"][0]["datatype"].GetString(), "INT32");
  EXPECT_EQ(m["inputs"][0]["shape"][0].GetInt(), -1);
  EXPECT_EQ(m["inputs"][0]["shape"][1].GetInt(), 16);
  EXPECT_EQ(c.Get("/v2/models/simple/versions/1")->status, 200);
  EXPECT_EQ(c.Get("/v2/models/simple/ready")->status, 200);
  EXPECT_EQ(c.Get("/v2/models/nope")->status, 400);  // Triton's code for an unknown model
  EXPECT_EQ(c.Get("/v2/models/simple/versions/7")->status, 404);
}

TEST_F(HttpInferTest, ConfigIsCompletedAndPrintedAsTriton) {
  auto c = Connect();
  auto r = c.Get("/v2/models/simple/config");
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  EXPECT_EQ(doc["max_batch_size"].GetInt(), 8);
  EXPECT_STREQ(doc["input"][0]["data_type"].GetString(), "TYPE_INT32");
  EXPECT_EQ(doc["input"][0]["dims"][0].GetInt(), 16);
  EXPECT_STREQ(doc["backend"].GetString(), "onnxruntime");

  // The model without config.pbtxt is auto-completed: batching detected, dynamic batching on.
  auto index = ParseJson(c.Post("/v2/repository/index", "")->body);
  std::string auto_model;
  for (const auto& e : index.GetArray()) {
    const std::string name = e["name"].GetString();
    if (name.find("autocomplete") != std::string::npos) auto_model = name;
  }
  ASSERT_FALSE(auto_model.empty()) << "no auto-complete example model";
  auto ac = ParseJson(c.Get("/v2/models/" + auto_model + "/config")->body);
  EXPECT_EQ(ac["max_batch_size"].GetInt(), 4);
  EXPECT_TRUE(ac.HasMember("dynamic_batching"));
  EXPECT_GT(ac["input"].Size(), 0u);
}

TEST_F(HttpInferTest, SimpleJsonInferenceComputesSumAndDifference) {
  auto c = Connect();
  const auto a = Iota(0), b = Iota(100);
  auto r = c.Post("/v2/models/simple/infer", SimpleJsonRequest(a, b));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  EXPECT_STREQ(doc["id"].GetString(), "req-1");
  EXPECT_STREQ(doc["model_name"].GetString(), "simple");
  ASSERT_EQ(doc["outputs"].Size(), 2u);
  for (const auto& out : doc["outputs"].GetArray()) {
    const bool sum = std::string(out["name"].GetString()) == "OUTPUT0";
    ASSERT_EQ(out["data"].Size(), 16u);
    for (int i = 0; i < 16; ++i) {
      EXPECT_EQ(out["data"][i].GetInt(), sum ? a[i] + b[i] : a[i] - b[i]);
    }
  }
}

TEST_F(HttpInferTest, RequestedOutputSubsetAndBinaryOutput) {
  auto c = Connect();
  const auto a = Iota(5), b = Iota(1);
  std::string body = SimpleJsonRequest(a, b);
  body.insert(body.size() - 1,
              R"(,"outputs":[{"name":"OUTPUT1","parameters":{"binary_data":true}}])");
  auto r = c.Post("/v2/models/simple/infer", body);
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(r->headers.count("inference-header-content-length"));
  const size_t header_len = std::stoul(r->headers["inference-header-content-length"]);
  auto doc = ParseJson(r->body.substr(0, header_len));
  ASSERT_EQ(doc["outputs"].Size(), 1u);
  EXPECT_STREQ(doc["outputs"][0]["name"].GetString(), "OUTPUT1");
  EXPECT_EQ(doc["outputs"][0]["parameters"]["binary_data_size"].GetInt(), 64);
  ASSERT_EQ(r->body.size(), header_len + 64);
  std::vector<int32_t> diff(16);
  std::memcpy(diff.data(), r->body.data() + header_len, 64);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(diff[i], a[i] - b[i]);
}

TEST_F(HttpInferTest, BinaryRequestFp32) {
  auto c = Connect();
  std::vector<float> a(32), b(32);
  for (int i = 0; i < 32; ++i) {
    a[i] = 0.5f * i;
    b[i] = 2.0f - i;
  }
  const std::string header = R"({"inputs":[
    {"name":"INPUT0","shape":[2,16],"datatype":"FP32","parameters":{"binary_data_size":128}},
    {"name":"INPUT1","shape":[2,16],"datatype":"FP32","parameters":{"binary_data_size":128}}],
    "parameters":{"binary_data_output":true}})";
  auto req = MakeBinaryBody(header, {RawBytes(a), RawBytes(b)});
  auto r = c.Post("/v2/models/add_sub_fp32/infer", req.body, req.headers);
  ASSERT_EQ(r->status, 200) << r->body;
  const size_t header_len = std::stoul(r->headers["inference-header-content-length"]);
  auto doc = ParseJson(r->body.substr(0, header_len));
  size_t offset = header_len;
  for (const auto& out : doc["outputs"].GetArray()) {
    const bool sum = std::string(out["name"].GetString()) == "OUTPUT0";
    std::vector<float> values(32);
    ASSERT_EQ(out["parameters"]["binary_data_size"].GetInt(), 128);
    std::memcpy(values.data(), r->body.data() + offset, 128);
    offset += 128;
    for (int i = 0; i < 32; ++i) EXPECT_FLOAT_EQ(values[i], sum ? a[i] + b[i] : a[i] - b[i]);
  }
  EXPECT_EQ(offset, r->body.size());
}

TEST_F(HttpInferTest, MlpSoftmaxSumsToOne) {
  auto c = Connect();
  std::string data;
  for (int i = 0; i < 784; ++i) data += (i ? "," : "") + std::to_string((i % 17) / 17.0);
  const std::string input =
      ParseJson(c.Get("/v2/models/mlp")->body)["inputs"][0]["name"].GetString();
  auto r = c.Post("/v2/models/mlp/infer", R"({"inputs":[{"name":")" + input +
                                              R"(","shape":[1,784],"datatype":"FP32","data":[)" +
                                              data + "]}]}");
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  double total = 0;
  for (const auto& v : doc["outputs"][0]["data"].GetArray()) total += v.GetDouble();
  EXPECT_NEAR(total, 1.0, 1e-4);
}

}  // namespace
}  // namespace inferd::testing
