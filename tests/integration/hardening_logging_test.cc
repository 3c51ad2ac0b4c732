// Attacks through logs and traces, reproduced against the real binary: a client naming the trace
// file (any file the server may write), request ids of any length, control characters that
// forge text log lines, and a label file linked out of the repository served by classification.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A JSON infer body for "simple" with request id `json_id` (already JSON-escaped).
std::string SimpleBody(const std::string& json_id) {
  std::string a;
  for (int i = 0; i < 16; ++i) a += (i ? "," : "") + std::to_string(i);
  return R"({"id":")" + json_id +
         R"(","inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[)" + a +
         R"(]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[)" + a + "]}]}";
}

class HardeningLoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("inferd_hardening_log_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  void Start(std::vector<std::string> args) {
    args.insert(args.begin(), {"--allow-grpc", "false", "--log-file", (dir_ / "log").string()});
    auto started = ServerProcess::Start(args);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  client::HttpConnection Http() {
    return client::HttpConnection("127.0.0.1", server_->http_port());
  }
  // Waits (bounded) until the log holds `needle`: the server writes after it answers.
  bool AwaitLog(const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ReadAll(dir_ / "log").find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HardeningLoggingTest, ClientsCannotChooseTheTraceFile) {
  Start({"--model-repository", SourcePath("examples/model_repository"), "--trace-file",
         (dir_ / "trace").string(), "--trace-level", "OFF"});
  auto c = Http();
  std::vector<std::string> bodies;
  for (const std::string& target :
       {(dir_ / "evil").string(), std::string("/etc/passwd"), std::string("/nonexistent/d/x")}) {
    auto set = c.Post("/v2/trace/setting",
                      R"({"trace_level":["TIMESTAMPS"],"trace_file":")" + target + R"("})");
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->status, 400) << set->body;
    EXPECT_NE(set->body.find("cannot be updated"), std::string::npos) << set->body;
    bodies.push_back(set->body);
  }
  // The same answer whatever the path: it tells nothing about the filesystem.
  EXPECT_EQ(bodies[0], bodies[1]);
  EXPECT_EQ(bodies[0], bodies[2]);
  EXPECT_FALSE(fs::exists(dir_ / "evil"));
  // Level, rate and count still change at run time, and traces go to the start-up file.
  ASSERT_EQ(
      c.Post("/v2/trace/setting", R"({"trace_level":["TIMESTAMPS"],"trace_rate":"1"})")->status,
      200);
  ASSERT_EQ(c.Post("/v2/models/simple/infer", SimpleBody("traced-1"))->status, 200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ReadAll(dir_ / "trace").find("traced-1") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(ReadAll(dir_ / "trace").find("traced-1"), std::string::npos);
}

TEST_F(HardeningLoggingTest, OverlongRequestIdsAreRefused) {
  Start({"--model-repository", SourcePath("examples/model_repository"), "--trace-file",
         (dir_ / "trace").string(), "--trace-level", "TIMESTAMPS", "--trace-rate", "1"});
  auto c = Http();
  auto longest = c.Post("/v2/models/simple/infer", SimpleBody(std::string(256, 'a')));
  EXPECT_EQ(longest->status, 200) << longest->body;
  auto refused = c.Post("/v2/models/simple/infer", SimpleBody(std::string(4 << 20, 'b')));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("at most 256"), std::string::npos) << refused->body.substr(0, 200);
  ASSERT_EQ(c.Post("/v2/models/simple/infer", SimpleBody("after"))->status, 200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ReadAll(dir_ / "trace").find("after") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_LT(fs::file_size(dir_ / "trace"), 4096u);  // not megabytes
}

TEST_F(HardeningLoggingTest, ControlCharactersForgeNoTextLogLine) {
  Start({"--model-repository", SourcePath("examples/model_repository"), "--model-control-mode",
         "explicit", "--load-model", "simple"});
  auto c = Http();
  ASSERT_EQ(c.Post("/v2/logging", R"({"log_verbose_level":1})")->status, 200);
  // A model name with a newline and an ANSI sequence in a load URL, and the same in a request id.
  auto load =
      c.Post("/v2/repository/models/x%0A2026-01-01T00:00:00Z%20error%20FORGED%1B%5B2K/load", "");
  ASSERT_TRUE(load.ok());
  EXPECT_NE(load->status, 200);
  ASSERT_EQ(c.Post("/v2/models/simple/infer", SimpleBody(R"(id\nFORGED2\r\u001b[31m)"))->status,
            200);
  ASSERT_TRUE(AwaitLog("FORGED2"));
  ASSERT_TRUE(AwaitLog("error FORGED"));
  const std::string log = ReadAll(dir_ / "log");
  EXPECT_EQ(log.find('\x1b'), std::string::npos);
  EXPECT_EQ(log.find('\r'), std::string::npos);
  std::istringstream lines(log);
  int forged_mentions = 0;
  for (std::string line; std::getline(lines, line);) {
    // Forged text only ever appears inside a real line, after an escaped "\n".
    EXPECT_NE(line.rfind("2026-01-01", 0), 0u) << "forged line: " << line;
    EXPECT_NE(line.rfind("FORGED", 0), 0u) << "forged line: " << line;
    const size_t at = line.find("FORGED");
    if (at == std::string::npos) continue;
    ++forged_mentions;
    EXPECT_NE(line.substr(0, at).find("\\n"), std::string::npos) << line;
  }
  EXPECT_GE(forged_mentions, 2);
}

TEST_F(HardeningLoggingTest, LabelsLinkedOutsideTheRepositoryAreNotServed) {
  const fs::path repo = dir_ / "repo";
  const fs::path src = SourcePath("examples/model_repository/mlp");
  fs::create_directories(repo / "mlp" / "1");
  fs::copy_file(src / "1" / "model.onnx", repo / "mlp" / "1" / "model.onnx");
  fs::copy_file(src / "config.pbtxt", repo / "mlp" / "config.pbtxt");
  std::ofstream(dir_ / "secret.txt") << "SECRET-0\nSECRET-1\nSECRET-2\nSECRET-3\nSECRET-4\n"
                                        "SECRET-5\nSECRET-6\nSECRET-7\nSECRET-8\nSECRET-9\n";
  fs::create_symlink(dir_ / "secret.txt", repo / "mlp" / "labels.txt");
  Start({"--model-repository", repo.string()});
  std::string data;
  for (int i = 0; i < 784; ++i) data += (i ? ",0.5" : "0.5");
  auto response = Http().Post(
      "/v2/models/mlp/infer",
      R"({"inputs":[{"name":"INPUT0","shape":[1,784],"datatype":"FP32","data":[)" + data +
          R"(]}],"outputs":[{"name":"OUTPUT0","parameters":{"classification":1}}]})");
  ASSERT_TRUE(response.ok());
  EXPECT_NE(response->status, 200);
  EXPECT_EQ(response->body.find("SECRET"), std::string::npos) << response->body;
  EXPECT_NE(response->body.find("resolves outside the model repository"), std::string::npos)
      << response->body;
}

}  // namespace
}  // namespace inferd::testing
