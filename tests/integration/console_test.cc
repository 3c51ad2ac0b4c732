// GET /console on the real binary: the server-rendered list as curl and text browsers see it,
// the live figures' JSON after known requests, the restricted repository API, and the page in
// headless Chromium (console_browser.py over the DevTools protocol): models and live figures
// appear, the buttons unload and load a model with the key entered, the upload form answers the
// top classes, and no console error or uncaught exception happens. The browser test is skipped,
// with the reason, where chromium or python3-websocket is not installed.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kConsoleKey[] = "console-key-7";
constexpr char kSimpleRequest[] = R"({"inputs": [
  {"name": "INPUT0", "shape": [1, 16], "datatype": "INT32", "data": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},
  {"name": "INPUT1", "shape": [1, 16], "datatype": "INT32", "data": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]})";

// The example repository plus a model that cannot load (its reason must show).
class ConsoleTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    root_ =
        fs::temp_directory_path() / ("inferd_console_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    fs::copy(SourcePath("examples/model_repository"), root_ / "repo", fs::copy_options::recursive);
    fs::create_directories(root_ / "repo" / "broken" / "1");
    std::ofstream(root_ / "repo" / "broken" / "config.pbtxt")
        << "name: \"broken\"\nplatform: \"tensorflow_savedmodel\"\n";
    std::ofstream(root_ / "repo" / "broken" / "1" / "model.savedmodel") << "x";
    StartServer(
        {"--model-repository", (root_ / "repo").string(), "--model-control-mode=explicit",
         "--load-model=*", "--exit-on-error=false", "--allow-grpc", "false",
         std::string("--http-restricted-api=model-repository:X-Console-Key=") + kConsoleKey});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static std::map<std::string, std::string> Key() { return {{"X-Console-Key", kConsoleKey}}; }
  static inline fs::path root_;
};

TEST_F(ConsoleTest, PageListsEveryModelWithoutJavaScript) {
  client::HttpConnection c = Connect();
  auto metadata = c.Get("/v2/models/simple");
  ASSERT_TRUE(metadata.ok()) << metadata.status();
  const std::string sha = ParseJson(metadata->body)["parameters"]["model_sha256"].GetString();

  auto page = c.Request("GET", "/console", "", Key());
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 200);
  const std::string& html = page->body;
  for (const char* model : {"simple", "add_sub_fp32", "mlp", "convnet", "identity_autocomplete",
                            "simple_string", "simple_identity", "simple_int8"}) {
    EXPECT_NE(html.find(std::string("<tr data-model=\"") + model + "\" data-version=\"1\">"),
              std::string::npos)
        << model;
  }
  EXPECT_NE(html.find("title=\"" + sha + "\""), std::string::npos);
  EXPECT_NE(html.find("INPUT0 <span>INT32 [-1,16]</span>"), std::string::npos);
  EXPECT_NE(html.find("onnxruntime_onnx"), std::string::npos);
  // The failed model with its reason, and the upload form of the one image model.
  EXPECT_NE(html.find("<tr data-model=\"broken\""), std::string::npos);
  EXPECT_NE(html.find("<div class=\"reason\">"), std::string::npos);
  EXPECT_NE(html.find("action=\"/predict/convnet/versions/1\""), std::string::npos);
  EXPECT_EQ(html.find("action=\"/predict/simple/"), std::string::npos);
  EXPECT_EQ(html.find(kConsoleKey), std::string::npos);

  // Without the key (a plain page load): ready versions only, and a field to enter it.
  auto plain = c.Get("/console");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body.find("<tr data-model=\"broken\""), std::string::npos);
  EXPECT_NE(plain->body.find("data-header=\"x-console-key\""), std::string::npos);
  EXPECT_NE(plain->body.find("<tr data-model=\"simple\""), std::string::npos);
  auto script = c.Get("/console/console.js");
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(script->status, 200);
  EXPECT_NE(script->body.find("/console/stats"), std::string::npos);
}

TEST_F(ConsoleTest, StatsCountTheRequestsServed) {
  client::HttpConnection c = Connect();
  auto before = c.Get("/console/stats");
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->status, 200) << before->body;
  for (int i = 0; i < 5; ++i) {
    auto r = c.Post("/v2/models/simple/infer", kSimpleRequest);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << r->body;
  }
  // Valid JSON that fails validation against the model (INPUT1 missing): counted, reason OTHER.
  ASSERT_EQ(c.Post("/v2/models/simple/infer", R"({"inputs": [{"name": "INPUT0", "shape": [1, 16],
      "datatype": "INT32", "data": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]})")
                ->status,
            400);
  auto after = c.Get("/console/stats");
  ASSERT_TRUE(after.ok());
  const auto count = [](const std::string& body, const char* field) -> int64_t {
    rapidjson::Document doc = ParseJson(body);
    for (const auto& m : doc["models"].GetArray()) {
      if (std::string(m["name"].GetString()) == "simple") return m[field].GetInt64();
    }
    return -1;
  };
  EXPECT_EQ(count(after->body, "success") - count(before->body, "success"), 5);
  EXPECT_EQ(count(after->body, "fail") - count(before->body, "fail"), 1);
  rapidjson::Document doc = ParseJson(after->body);
  for (const auto& m : doc["models"].GetArray()) {
    if (std::string(m["name"].GetString()) != "simple") continue;
    EXPECT_TRUE(m["p50_us"].IsNumber());
    EXPECT_GT(m["p95_us"].GetDouble(), 0.0);
    EXPECT_EQ(m["latency_us"]["counts"].Size(), m["latency_us"]["bounds"].Size() + 1);
  }
  // The repository routes the buttons call keep their restriction.
  EXPECT_EQ(c.Post("/v2/repository/models/mlp/unload", "")->status, 403);
}

bool HasCommand(const std::string& check) { return RunShellCommand(check).exit_code == 0; }

TEST_F(ConsoleTest, BrowserShowsLiveFiguresAndButtonsAndUploadWork) {
  if (!HasCommand("command -v chromium")) GTEST_SKIP() << "chromium is not installed";
  if (!HasCommand("/usr/bin/python3 -c 'import websocket'")) {
    GTEST_SKIP() << "python3-websocket is not installed";
  }
  // Traffic while the page watches, so the live throughput is not zero.
  std::atomic<bool> stop{false};
  std::thread traffic([&] {
    client::HttpConnection c = Connect();
    for (int i = 0; i < 100000 && !stop.load(); ++i) {
      if (!c.Post("/v2/models/simple/infer", kSimpleRequest).ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a pace, not a wait
    }
  });
  const fs::path shots = root_ / "screenshots";
  fs::create_directories(shots);
  const std::string command =
      "timeout -k 5 100 /usr/bin/python3 " + SourcePath("tests/integration/console_browser.py") +
      " --timeout 90 --url http://127.0.0.1:" + std::to_string(server_->http_port()) +
      " --key x-console-key=" + kConsoleKey + " --action-model add_sub_fp32" +
      " --image-model convnet --image " + SourcePath("examples/images/shapes.jpg") +
      " --screenshots " + shots.string() + " 2>&1";
  const CommandOutcome outcome = RunShellCommand(command);
  stop = true;
  traffic.join();
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const std::string last_line =
      outcome.output.substr(outcome.output.find_last_of('\n', outcome.output.size() - 2) + 1);
  rapidjson::Document report = ParseJson(last_line);
  ASSERT_TRUE(report.IsObject()) << outcome.output;

  bool simple_seen = false, broken_seen = false;
  for (const auto& row : report["rows"].GetArray()) {
    const std::string model = row["model"].GetString();
    if (model == "simple") {
      simple_seen = true;
      EXPECT_STREQ(row["state"].GetString(), "READY");
      EXPECT_STRNE(row["figures"]["rps"].GetString(), "\xE2\x80\x94") << last_line;
      EXPECT_STRNE(row["figures"]["p50"].GetString(), "\xE2\x80\x94") << last_line;
      EXPECT_STRNE(row["figures"]["p95"].GetString(), "\xE2\x80\x94") << last_line;
    }
    if (model == "broken") {  // listed once the script re-read the page with the key
      broken_seen = true;
      EXPECT_STRNE(row["reason"].GetString(), "");
    }
  }
  EXPECT_TRUE(simple_seen) << last_line;
  EXPECT_TRUE(broken_seen) << last_line;
  EXPECT_NE(std::string(report["live"].GetString()).find("live, every 2 s"), std::string::npos);

  ASSERT_EQ(report["actions"].Size(), 2u) << last_line;
  EXPECT_STREQ(report["actions"][0].GetString(), "Unload add_sub_fp32: done");
  EXPECT_STREQ(report["after_unload"].GetString(), "UNAVAILABLE");
  EXPECT_STREQ(report["actions"][1].GetString(), "Load add_sub_fp32: done");
  EXPECT_STREQ(report["after_load"].GetString(), "READY");

  ASSERT_TRUE(report["predictions"].IsArray()) << last_line;
  ASSERT_GT(report["predictions"].Size(), 0u) << last_line;
  EXPECT_STRNE(report["predictions"][0][0].GetString(), "error") << last_line;

  EXPECT_EQ(report["errors"].Size(), 0u) << last_line;
  for (const char* name : {"console.png", "console-upload.png"}) {
    EXPECT_GT(fs::file_size(shots / name), 10000u) << name;
  }
}

}  // namespace
}  // namespace inferd::testing
