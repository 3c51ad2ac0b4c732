// The API description, Swagger UI and CORS against the real binary: GET /openapi.json lists every
// dialect, GET /docs serves the viewer from the set-up's swagger-ui-dist (or names the flag when
// it is absent), --http-cors-allow-origin grants preflights for its origin only, TorchServe's
// plain OPTIONS / is unchanged, a malformed origin stops start-up, and "Try it out" in headless
// Chromium sends an inference and shows its answer.
#include <filesystem>
#include <string>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kOrigin[] = "http://localhost:3000";

class HttpDocsTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository"),
                 "--model-control-mode=explicit", "--load-model=simple",
                 std::string("--http-cors-allow-origin=") + kOrigin, "--http-cors-allow-origin",
                 "https://app.example"});
  }
};

TEST_F(HttpDocsTest, OpenApiDocumentListsEveryDialect) {
  client::HttpConnection c = Connect();
  auto response = c.Get("/openapi.json");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["content-type"], "application/json");
  const rapidjson::Document doc = ParseJson(response->body);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["openapi"].GetString(), "3.1.0");
  const auto& paths = doc["paths"];
  for (const char* path : {"/v2/models/{model}/infer", "/v2/repository/index",
                           "/v1/models/{model}:predict", "/predictions/{model}", "/models",
                           "/predict/{model}", "/health", "/ping", "/openapi.json", "/docs"}) {
    EXPECT_TRUE(paths.HasMember(path)) << path;
  }
}

TEST_F(HttpDocsTest, SwaggerUiIsServedWhenInstalled) {
  client::HttpConnection c = Connect();
  auto page = c.Get("/docs");
  ASSERT_TRUE(page.ok()) << page.status();
  if (!fs::exists(SourcePath("third_party/swagger-ui/swagger-ui-bundle.js"))) {
    EXPECT_EQ(page->status, 404);
    EXPECT_NE(page->body.find("--http-docs-dir"), std::string::npos);
    GTEST_SKIP() << "swagger-ui-dist not installed (scripts/setup.sh)";
  }
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("swagger-ui-bundle.js"), std::string::npos);
  auto bundle = c.Get("/docs/swagger-ui-bundle.js");
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(bundle->status, 200);
  EXPECT_GT(bundle->body.size(), 100000u);
  EXPECT_NE(bundle->body.find("SwaggerUIBundle"), std::string::npos);
  auto init = c.Get("/docs/swagger-init.js");
  ASSERT_TRUE(init.ok());
  EXPECT_NE(init->body.find("/openapi.json"), std::string::npos);
  EXPECT_EQ(c.Get("/docs/../../etc/passwd")->status, 404);
}

// A user's "Try it out" in Swagger UI, in headless Chromium (docs_browser.py over the DevTools
// protocol): the infer operation, the model name and body typed in, Execute, a 200 with the sums.
TEST_F(HttpDocsTest, TryItOutSendsAnInferenceFromTheBrowser) {
  if (!fs::exists(SourcePath("third_party/swagger-ui/swagger-ui-bundle.js"))) {
    GTEST_SKIP() << "swagger-ui-dist not installed (scripts/setup.sh)";
  }
  if (RunShellCommand("command -v chromium").exit_code != 0) {
    GTEST_SKIP() << "chromium is not installed";
  }
  if (RunShellCommand("/usr/bin/python3 -c 'import websocket'").exit_code != 0) {
    GTEST_SKIP() << "python3-websocket is not installed";
  }
  const std::string body =
      R"({"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[0,1,2,3,4,5,6,7,)"
      R"(8,9,10,11,12,13,14,15]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,)"
      R"(1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]})";
  const CommandOutcome outcome = RunShellCommand(
      "timeout -k 5 100 /usr/bin/python3 " + SourcePath("tests/integration/docs_browser.py") +
      " --timeout 90 --url http://127.0.0.1:" + std::to_string(server_->http_port()) +
      " --model simple --body '" + body + "' 2>&1");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const std::string last_line =
      outcome.output.substr(outcome.output.find_last_of('\n', outcome.output.size() - 2) + 1);
  const rapidjson::Document report = ParseJson(last_line);
  ASSERT_TRUE(report.IsObject()) << outcome.output;
  EXPECT_GT(report["operations"].GetInt(), 50) << last_line;
  EXPECT_STREQ(report["status"].GetString(), "200") << last_line;
  const rapidjson::Document answer = ParseJson(report["body"].GetString());
  ASSERT_TRUE(answer.IsObject()) << last_line;
  EXPECT_STREQ(answer["outputs"][0]["name"].GetString(), "OUTPUT0");
  EXPECT_EQ(answer["outputs"][0]["data"][15].GetInt(), 16);  // 15 + 1
  EXPECT_EQ(report["errors"].Size(), 0u) << last_line;
}

TEST_F(HttpDocsTest, CorsPreflightAndResponseHeaders) {
  client::HttpConnection c = Connect();
  auto preflight = c.Request("OPTIONS", "/v2/models/simple/infer", "",
                             {{"Origin", kOrigin},
                              {"Access-Control-Request-Method", "POST"},
                              {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight.ok()) << preflight.status();
  EXPECT_EQ(preflight->status, 200);
  EXPECT_EQ(preflight->headers["access-control-allow-origin"], kOrigin);
  EXPECT_NE(preflight->headers["access-control-allow-methods"].find("POST"), std::string::npos);
  EXPECT_NE(
      preflight->headers["access-control-allow-headers"].find("Inference-Header-Content-Length"),
      std::string::npos);

  auto other =
      c.Request("OPTIONS", "/v2/models/simple/infer", "",
                {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->status, 200);
  EXPECT_EQ(other->headers.count("access-control-allow-origin"), 0u);

  auto metadata = c.Request("GET", "/v2/models/simple", "", {{"Origin", "https://app.example"}});
  ASSERT_TRUE(metadata.ok());
  EXPECT_EQ(metadata->status, 200);
  EXPECT_EQ(metadata->headers["access-control-allow-origin"], "https://app.example");
  EXPECT_NE(
      metadata->headers["access-control-expose-headers"].find("Inference-Header-Content-Length"),
      std::string::npos);

  // TorchServe clients' OPTIONS / (no preflight headers) still gets the API description.
  auto description = c.Request("OPTIONS", "/");
  ASSERT_TRUE(description.ok());
  EXPECT_EQ(description->status, 200);
  EXPECT_NE(description->body.find("\"openapi\""), std::string::npos);
}

TEST(HttpDocsFlagsTest, MalformedOriginStopsStartUp) {
  auto started =
      ServerProcess::Start({"--model-repository", SourcePath("examples/model_repository"),
                            "--http-cors-allow-origin=app.example/path"});
  EXPECT_FALSE(started.ok());
}

TEST(HttpDocsFlagsTest, DocsDirWithoutSwaggerUiStopsStartUp) {
  const fs::path empty = fs::temp_directory_path() / "inferd_no_swagger_ui";
  fs::create_directories(empty);
  auto started =
      ServerProcess::Start({"--model-repository", SourcePath("examples/model_repository"),
                            "--http-docs-dir", empty.string()});
  EXPECT_FALSE(started.ok());
  fs::remove_all(empty);
}

}  // namespace
}  // namespace inferd::testing
