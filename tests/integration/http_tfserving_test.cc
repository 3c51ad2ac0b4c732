// The TF Serving REST dialect against the real server: row and columnar predict on `simple`
// (OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1, INT32 [16], batching), versions and
// labels, BYTES through b64 on identity_all_types, status, metadata and errors.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string IntArray(const std::vector<int>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "]";
}

std::vector<int> Row(int base, int step) {
  std::vector<int> row(16);
  for (int i = 0; i < 16; ++i) row[i] = base + step * i;
  return row;
}

std::vector<int> Ints(const rapidjson::Value& array) {
  std::vector<int> out;
  for (const auto& v : array.GetArray()) out.push_back(v.GetInt());
  return out;
}

std::vector<int> Add(const std::vector<int>& a, const std::vector<int>& b, int sign) {
  std::vector<int> out(a.size());
  for (size_t i = 0; i < a.size(); ++i) out[i] = a[i] + sign * b[i];
  return out;
}

class HttpTfServingTest : public HttpServerSuite {
 protected:
  // `simple` with versions 1 and 2 both served, labelled stable=1 and canary=2.
  static void SetUpTestSuite() {
    root_ =
        fs::temp_directory_path() / ("inferd_tfs_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    fs::copy(SourcePath("examples/model_repository/simple"), root_ / "simple",
             fs::copy_options::recursive);
    fs::copy(root_ / "simple" / "1", root_ / "simple" / "2", fs::copy_options::recursive);
    std::ofstream(root_ / "simple" / "config.pbtxt", std::ios::app)
        << "version_policy: { all { } }\n"
        << "parameters { key: \"version_labels\" value: { string_value: \"stable=1,canary=2\" } "
           "}\n";
    fs::copy(SourcePath("tests/testdata/model_repository/identity_all_types"),
             root_ / "identity_all_types", fs::copy_options::recursive);
    StartServer({"--model-repository", root_.string()});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static inline fs::path root_;
};

TEST_F(HttpTfServingTest, RowFormatPredictsEveryInstance) {
  auto c = Connect();
  const std::vector<std::vector<int>> a = {Row(0, 1), Row(100, -3)};
  const std::vector<std::vector<int>> b = {Row(5, 2), Row(-7, 1)};
  std::string body = R"({"signature_name": "serving_default", "instances": [)";
  for (size_t i = 0; i < a.size(); ++i) {
    body += (i ? "," : "") + std::string(R"({"INPUT0": )") + IntArray(a[i]) + R"(, "INPUT1": )" +
            IntArray(b[i]) + "}";
  }
  body += "]}";
  auto response = c.Post("/v1/models/simple:predict", body);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  ASSERT_EQ(doc["predictions"].Size(), 2u);
  for (size_t i = 0; i < a.size(); ++i) {
    const auto& row = doc["predictions"][static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(Ints(row["OUTPUT0"]), Add(a[i], b[i], 1));
    EXPECT_EQ(Ints(row["OUTPUT1"]), Add(a[i], b[i], -1));
  }
}

TEST_F(HttpTfServingTest, ColumnarFormatOnVersionsAndLabels) {
  auto c = Connect();
  const auto a = Row(3, 4);
  const auto b = Row(-2, 9);
  const std::string body =
      R"({"inputs": {"INPUT0": [)" + IntArray(a) + R"(], "INPUT1": [)" + IntArray(b) + "]}}";
  for (const char* path : {"/v1/models/simple:predict", "/v1/models/simple/versions/1:predict",
                           "/v1/models/simple/labels/canary:predict"}) {
    auto response = c.Post(path, body);
    ASSERT_TRUE(response.ok()) << response.status();
    ASSERT_EQ(response->status, 200) << path << ": " << response->body;
    auto doc = ParseJson(response->body);
    EXPECT_EQ(Ints(doc["outputs"]["OUTPUT0"][0]), Add(a, b, 1)) << path;
    EXPECT_EQ(Ints(doc["outputs"]["OUTPUT1"][0]), Add(a, b, -1)) << path;
  }
}

TEST_F(HttpTfServingTest, BytesTravelAsB64AndEveryTypeRoundTrips) {
  auto c = Connect();
  // "\0\xff" is not UTF-8: it comes back as b64; "hello" (sent as b64) comes back as text.
  const std::string body = R"({"inputs": {)"
                           R"("IN_STRING": [[{"b64": "AP8="}, {"b64": "aGVsbG8="}]],)"
                           R"("IN_BOOL": [[true, false]], "IN_UINT8": [[0, 255]],)"
                           R"("IN_UINT16": [[1, 65535]], "IN_UINT32": [[2, 4294967295]],)"
                           R"("IN_UINT64": [[3, 18446744073709551615]], "IN_INT8": [[-128, 127]],)"
                           R"("IN_INT16": [[-32768, 32767]], "IN_INT32": [[-2147483648, 7]],)"
                           R"("IN_INT64": [[-9223372036854775808, 9]], "IN_FP16": [[1.5, -2]],)"
                           R"("IN_BF16": [[1.5, -2]], "IN_FP32": [[0.25, -3.5]],)"
                           R"("IN_FP64": [[0.125, 1e300]]}})";
  auto response = c.Post("/v1/models/identity_all_types:predict", body);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  const auto& outputs = doc["outputs"];
  EXPECT_STREQ(outputs["OUT_STRING"][0][0]["b64"].GetString(), "AP8=");
  EXPECT_STREQ(outputs["OUT_STRING"][0][1].GetString(), "hello");
  EXPECT_EQ(outputs["OUT_UINT64"][0][1].GetUint64(), 18446744073709551615ull);
  EXPECT_EQ(outputs["OUT_INT64"][0][0].GetInt64(), INT64_MIN);
  EXPECT_EQ(outputs["OUT_BF16"][0][0].GetDouble(), 1.5);
  EXPECT_EQ(outputs["OUT_FP64"][0][1].GetDouble(), 1e300);
  EXPECT_FALSE(outputs["OUT_BOOL"][0][1].GetBool());
}

TEST_F(HttpTfServingTest, StatusAndMetadata) {
  auto c = Connect();
  auto status = c.Get("/v1/models/simple");
  ASSERT_EQ(status->status, 200) << status->body;
  const std::string ok = R"("status":{"error_code":"OK","error_message":""})";
  EXPECT_EQ(status->body, R"({"model_version_status":[{"version":"2","state":"AVAILABLE",)" + ok +
                              R"(},{"version":"1","state":"AVAILABLE",)" + ok + "}]}");
  auto one = ParseJson(c.Get("/v1/models/simple/labels/stable")->body);
  ASSERT_EQ(one["model_version_status"].Size(), 1u);
  EXPECT_STREQ(one["model_version_status"][0]["version"].GetString(), "1");

  auto metadata = c.Get("/v1/models/simple/versions/1/metadata");
  ASSERT_EQ(metadata->status, 200) << metadata->body;
  auto doc = ParseJson(metadata->body);
  EXPECT_STREQ(doc["model_spec"]["name"].GetString(), "simple");
  EXPECT_STREQ(doc["model_spec"]["version"].GetString(), "1");
  const auto& signature = doc["metadata"]["signature_def"]["signature_def"]["serving_default"];
  EXPECT_STREQ(signature["method_name"].GetString(), "tensorflow/serving/predict");
  const auto& input = signature["inputs"]["INPUT1"];
  EXPECT_STREQ(input["dtype"].GetString(), "DT_INT32");
  ASSERT_EQ(input["tensor_shape"]["dim"].Size(), 2u);
  EXPECT_STREQ(input["tensor_shape"]["dim"][0]["size"].GetString(), "-1");
  EXPECT_STREQ(input["tensor_shape"]["dim"][1]["size"].GetString(), "16");
  EXPECT_TRUE(signature["outputs"].HasMember("OUTPUT1"));
}

TEST_F(HttpTfServingTest, ErrorsUseTfServingShapesAndCodes) {
  auto c = Connect();
  auto expect_error = [&](const char* method, const std::string& path, const std::string& body,
                          int code, const std::string& fragment) {
    auto response = c.Request(method, path, body);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, code) << path << ": " << response->body;
    auto doc = ParseJson(response->body);
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("error")) << response->body;
    EXPECT_NE(std::string(doc["error"].GetString()).find(fragment), std::string::npos)
        << response->body;
  };
  const std::string ok_row = R"({"instances": [{"INPUT0": )" + IntArray(Row(0, 1)) +
                             R"(, "INPUT1": )" + IntArray(Row(0, 1)) + "}]}";
  expect_error("POST", "/v1/models/nope:predict", ok_row, 404, "nope");
  expect_error("POST", "/v1/models/simple/versions/9:predict", ok_row, 404, "");
  expect_error("POST", "/v1/models/simple/labels/beta:predict", ok_row, 400,
               "Unrecognized servable version label: beta");
  expect_error("GET", "/v1/models/simple:predict", "", 400, "Malformed request");
  expect_error("POST", "/v1/models/simple:predict", "{", 400, "");
  expect_error("POST", "/v1/models/simple:predict", R"({"instances": [[1, 2]]})", 400,
               "exactly one");
  expect_error("POST", "/v1/models/simple:predict", R"({"inputs": {"INPUT0": [[1]]}})", 400, "");
  expect_error("POST", "/v1/models/simple:predict",
               R"({"instances": [{"INPUT0": [1], "INPUT1": [1], "X": 1}]})", 400, "X");
  expect_error("GET", "/v1/models/nope", "", 404, "Could not find any versions of model nope");
  expect_error("GET", "/v1/models/simple/versions/7", "", 404, "Could not find version 7");
  expect_error("POST", "/v1/models/simple:regress", "{}", 501, "");
}

}  // namespace
}  // namespace inferd::testing
