// The TorchServe dialect against the real server: /ping, /predictions with JSON tensors on
// `simple` (OUTPUT0 = INPUT0 + INPUT1, OUTPUT1 = INPUT0 - INPUT1, INT32 [16]), the image hook,
// OPTIONS /, and the management API: reads always, changes refused (405) in model control mode
// 'none' and carried out in 'explicit' mode.
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

std::vector<int> Ints(const rapidjson::Value& array) {
  std::vector<int> out;
  for (const auto& v : array.GetArray()) out.push_back(v.GetInt());
  return out;
}

struct AddSubCase {
  std::vector<int> a, b, sum, difference;
  std::string body;  // {"INPUT0": [a], "INPUT1": [b]}: one batch row
};

AddSubCase MakeCase(int seed) {
  AddSubCase c;
  for (int i = 0; i < 16; ++i) {
    c.a.push_back(seed * 7 + i * 3);
    c.b.push_back(seed - i * 5);
    c.sum.push_back(c.a.back() + c.b.back());
    c.difference.push_back(c.a.back() - c.b.back());
  }
  c.body = R"({"INPUT0": [)" + IntArray(c.a) + R"(], "INPUT1": [)" + IntArray(c.b) + "]}";
  return c;
}

// Predicts `model` through /predictions and checks the outputs against the test's own sums.
void ExpectAddSub(client::HttpConnection& c, const std::string& path, int seed) {
  const AddSubCase expected = MakeCase(seed);
  auto response = c.Post(path, expected.body, {{"Content-Type", "application/json"}});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << path << ": " << response->body;
  auto doc = ParseJson(response->body);
  EXPECT_EQ(Ints(doc["OUTPUT0"][0]), expected.sum);
  EXPECT_EQ(Ints(doc["OUTPUT1"][0]), expected.difference);
}

// Expects TorchServe's error shape {"code": N, "type": T, "message": M}.
void ExpectTorchServeError(const StatusOr<client::HttpResponse>& response, int code,
                           const std::string& type) {
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, code) << response->body;
  auto doc = ParseJson(response->body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("code") && doc.HasMember("message"))
      << response->body;
  EXPECT_EQ(doc["code"].GetInt(), code);
  EXPECT_EQ(std::string(doc["type"].GetString()), type);
}

fs::path MakeRepository() {
  const fs::path root =
      fs::temp_directory_path() / ("inferd_ts_test_" + std::to_string(std::random_device{}()));
  fs::create_directories(root);
  fs::copy(SourcePath("examples/model_repository/simple"), root / "simple",
           fs::copy_options::recursive);
  fs::copy(SourcePath("tests/testdata/model_repository/simple_copy"), root / "simple_copy",
           fs::copy_options::recursive);
  return root;
}

class HttpTorchServeTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    root_ = MakeRepository();
    StartServer({"--model-repository", root_.string()});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static inline fs::path root_;
};

TEST_F(HttpTorchServeTest, PingPredictionsAndApiDescription) {
  auto c = Connect();
  auto ping = c.Get("/ping");
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->status, 200);
  EXPECT_EQ(ping->body, R"({"status":"Healthy"})");

  ExpectAddSub(c, "/predictions/simple", 3);
  ExpectAddSub(c, "/predictions/simple/1", 4);
  ExpectAddSub(c, "/predictions/simple/1.0", 5);
  ExpectTorchServeError(
      c.Post("/predictions/simple", "\x89PNG\r\n", {{"Content-Type", "image/png"}}), 415,
      "BadRequestException");
  ExpectTorchServeError(
      c.Post("/predictions/simple", R"({"INPUT0": [[1]]})", {{"Content-Type", "application/json"}}),
      400, "BadRequestException");
  ExpectTorchServeError(c.Post("/predictions/nope", "[1]", {{"Content-Type", "application/json"}}),
                        404, "ModelNotFoundException");
  ExpectTorchServeError(c.Post("/predictions/simple/2", MakeCase(1).body), 404,
                        "ModelVersionNotFoundException");

  auto api = c.Request("OPTIONS", "/");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 200);
  auto doc = ParseJson(api->body);
  EXPECT_STREQ(doc["openapi"].GetString(), "3.0.1");
  for (const char* path : {"/ping", "/predictions/{model_name}", "/models", "/models/{model_name}",
                           "/models/{model_name}/{model_version}/set-default"}) {
    EXPECT_TRUE(doc["paths"].HasMember(path)) << path;
  }
}

TEST_F(HttpTorchServeTest, ManagementReadsAndSetDefault) {
  auto c = Connect();
  auto list = ParseJson(c.Get("/models")->body);
  ASSERT_EQ(list["models"].Size(), 2u);
  EXPECT_STREQ(list["models"][0]["modelName"].GetString(), "simple");
  EXPECT_STREQ(list["models"][1]["modelName"].GetString(), "simple_copy");
  auto page = ParseJson(c.Get("/models?limit=1")->body);
  ASSERT_EQ(page["models"].Size(), 1u);
  EXPECT_STREQ(page["nextPageToken"].GetString(), "1");

  auto described = c.Get("/models/simple");
  ASSERT_EQ(described->status, 200) << described->body;
  auto doc = ParseJson(described->body);
  ASSERT_EQ(doc.Size(), 1u);
  EXPECT_STREQ(doc[0]["modelName"].GetString(), "simple");
  EXPECT_STREQ(doc[0]["modelVersion"].GetString(), "1");
  EXPECT_EQ(doc[0]["batchSize"].GetInt(), 8);
  EXPECT_GE(doc[0]["minWorkers"].GetInt(), 1);
  EXPECT_EQ(doc[0]["workers"].Size(),
            static_cast<rapidjson::SizeType>(doc[0]["minWorkers"].GetInt()));
  EXPECT_EQ(ParseJson(c.Get("/models/simple/all")->body).Size(), 1u);
  ExpectTorchServeError(c.Get("/models/nope"), 404, "ModelNotFoundException");
  ExpectTorchServeError(c.Get("/models/simple/3"), 404, "ModelVersionNotFoundException");

  auto set = c.Request("PUT", "/models/simple/1.0/set-default");
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_NE(set->body.find(R"(\"simple\" to \"1\")"), std::string::npos) << set->body;
  ExpectAddSub(c, "/predictions/simple", 6);
  ExpectTorchServeError(c.Request("PUT", "/models/simple/4/set-default"), 404,
                        "ModelVersionNotFoundException");
}

TEST_F(HttpTorchServeTest, ChangesAreRefusedWhenModelControlIsOff) {
  auto c = Connect();
  ExpectTorchServeError(c.Post("/models?url=unloaded.mar", ""), 405, "MethodNotAllowedException");
  ExpectTorchServeError(c.Request("DELETE", "/models/simple"), 405, "MethodNotAllowedException");
  ExpectTorchServeError(c.Request("DELETE", "/models/simple/1"), 405, "MethodNotAllowedException");
  ExpectTorchServeError(c.Request("PUT", "/models/simple?min_worker=2"), 405,
                        "MethodNotAllowedException");
  // Checked before the facade is asked: bad URLs, a loaded model, unknown versions.
  ExpectTorchServeError(c.Post("/models?url=..%2Fsimple", ""), 400, "BadRequestException");
  ExpectTorchServeError(c.Post("/models?url=https://example.com/m.mar", ""), 400,
                        "BadRequestException");
  ExpectTorchServeError(c.Post("/models?url=simple", ""), 409, "ConflictStatusException");
  ExpectTorchServeError(c.Request("DELETE", "/models/simple/2"), 404,
                        "ModelVersionNotFoundException");
  ExpectAddSub(c, "/predictions/simple", 7);  // nothing changed
}

// Success paths in explicit mode. simple_copy gets versions 1 and 2 (version_policy all) so that
// unregistering one version exercises the reload path.
TEST(HttpTorchServeControlTest, RegisterScaleUnregisterInExplicitMode) {
  struct TempRepository {
    fs::path root = MakeRepository();
    ~TempRepository() { fs::remove_all(root); }
  } repository;
  const fs::path& root = repository.root;
  fs::copy(root / "simple_copy" / "1", root / "simple_copy" / "2", fs::copy_options::recursive);
  std::ofstream(root / "simple_copy" / "config.pbtxt", std::ios::app)
      << "version_policy: { all { } }\n";
  auto started = ServerProcess::Start({"--model-repository", root.string(), "--model-control-mode",
                                       "explicit", "--load-model", "simple"});
  ASSERT_TRUE(started.ok()) << started.status();
  client::HttpConnection c("127.0.0.1", (*started)->http_port());
  ExpectTorchServeError(c.Post("/predictions/simple_copy", MakeCase(1).body), 404,
                        "ModelNotFoundException");

  auto registered = c.Post("/models?url=simple_copy.mar", "");
  ASSERT_EQ(registered->status, 200) << registered->body;
  EXPECT_NE(registered->body.find(R"(Model \"simple_copy\" Version: 2 registered)"),
            std::string::npos)
      << registered->body;
  ExpectAddSub(c, "/predictions/simple_copy", 8);
  ExpectAddSub(c, "/predictions/simple_copy/1", 8);
  EXPECT_EQ(ParseJson(c.Get("/models/simple_copy/all")->body).Size(), 2u);

  auto scaled = c.Request("PUT", "/models/simple_copy?min_worker=2");
  ASSERT_EQ(scaled->status, 200) << scaled->body;
  auto described = ParseJson(c.Get("/models/simple_copy")->body);
  EXPECT_EQ(described[0]["minWorkers"].GetInt(), 2);
  ExpectAddSub(c, "/predictions/simple_copy", 9);

  // One of two versions: a reload that keeps version 1 only.
  auto one = c.Request("DELETE", "/models/simple_copy/2.0");
  ASSERT_EQ(one->status, 200) << one->body;
  ExpectTorchServeError(c.Post("/predictions/simple_copy/2", MakeCase(1).body), 404,
                        "ModelVersionNotFoundException");
  ExpectAddSub(c, "/predictions/simple_copy", 10);
  EXPECT_EQ(ParseJson(c.Get("/models/simple_copy/all")->body).Size(), 1u);
  // The last version: an unload.
  auto unregistered = c.Request("DELETE", "/models/simple_copy/1");
  ASSERT_EQ(unregistered->status, 200) << unregistered->body;
  EXPECT_EQ(unregistered->body, R"({"status":"Model \"simple_copy\" unregistered"})");
  ExpectTorchServeError(c.Post("/predictions/simple_copy", MakeCase(1).body), 404,
                        "ModelNotFoundException");
  auto deleted = c.Request("DELETE", "/models/simple");
  ASSERT_EQ(deleted->status, 200) << deleted->body;
  EXPECT_EQ(ParseJson(c.Get("/models")->body)["models"].Size(), 0u);
  EXPECT_EQ((*started)->Stop(), 0);
}

}  // namespace
}  // namespace inferd::testing
