// Structured logs and request traces through the real binary: in JSON mode every log line
// parses as JSON and a request's lines carry its id (the client's, else a generated one that
// the response echoes); /v2/logging changes the verbosity live; sampled requests write one
// trace line with ordered timestamps, and /v2/trace/setting turns tracing off live.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/http_connection.h"
#include "server_process.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string Body(const std::string& id) {
  std::string a;
  for (int i = 0; i < 16; ++i) a += (i ? "," : "") + std::to_string(i);
  return "{" + (id.empty() ? std::string() : "\"id\":\"" + id + "\",") +
         R"("inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[)" + a +
         R"(]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[)" + a + "]}]}";
}

// The complete lines of `file` (a last line still being written, without its '\n', is left out).
std::vector<std::string> Lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (in.eof()) break;  // no '\n' after it
    out.push_back(line);
  }
  return out;
}

// The server writes a request's last log line and its trace line after the response is on the
// wire, so a client can read the file before they land: wait (bounded) until `select` of the file
// has at least `count` lines. Another process writes the file, so polling is the only signal.
template <typename Select>
std::vector<std::string> AwaitLines(size_t count, Select select) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<std::string> lines = select();
  while (lines.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    lines = select();
  }
  return lines;
}

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  return doc;
}

class LoggingTraceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("inferd_log_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    auto started = ServerProcess::Start(
        {"--model-repository", SourcePath("examples/model_repository"), "--allow-grpc", "false",
         "--log-format", "json", "--log-verbose", "1", "--log-file", (dir_ / "log").string(),
         "--trace-file", (dir_ / "trace").string(), "--trace-level", "TIMESTAMPS", "--trace-rate",
         "1"});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->Stop(), 0);
    }
    fs::remove_all(dir_);
  }
  client::HttpConnection Http() {
    return client::HttpConnection("127.0.0.1", server_->http_port());
  }
  // The log lines that carry `id`; every line must be JSON.
  std::vector<std::string> LinesWithId(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& line : Lines(dir_ / "log")) {
      auto doc = Parse(line);
      EXPECT_FALSE(doc.HasParseError()) << line;
      if (doc.HasParseError()) continue;
      EXPECT_TRUE(doc.HasMember("time") && doc.HasMember("level") && doc.HasMember("message"));
      if (doc.HasMember("request_id") && doc["request_id"].GetString() == id) out.push_back(line);
    }
    return out;
  }
  fs::path dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(LoggingTraceTest, JsonLogLinesCarryTheRequestId) {
  auto c = Http();
  auto given = c.Post("/v2/models/simple/infer", Body("client-id-7"));
  ASSERT_EQ(given->status, 200);
  EXPECT_EQ(std::string(Parse(given->body)["id"].GetString()), "client-id-7");
  auto generated = c.Post("/v2/models/simple/infer", Body(""));
  ASSERT_EQ(generated->status, 200);
  const std::string id = Parse(generated->body)["id"].GetString();
  EXPECT_FALSE(id.empty());
  auto failed = c.Post("/v2/models/simple/infer",
                       R"({"id":"bad-1","inputs":[{"name":"INPUT0","shape":[1,16],)"
                       R"("datatype":"INT32","data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]})");
  EXPECT_EQ(failed->status, 400);
  auto with_id = [this](const std::string& wanted) {
    return AwaitLines(2, [&] { return LinesWithId(wanted); });
  };
  EXPECT_EQ(with_id("client-id-7").size(), 2u);  // received, completed
  EXPECT_EQ(with_id(id).size(), 2u);
  const auto bad = with_id("bad-1");
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_TRUE(Parse(bad[1]).HasMember("error"));
  EXPECT_EQ(std::string(Parse(bad[1])["model"].GetString()), "simple");

  // Verbose off at run time: the next request logs nothing.
  auto get = c.Get("/v2/logging");
  ASSERT_EQ(get->status, 200);
  EXPECT_EQ(Parse(get->body)["log_verbose_level"].GetInt(), 1);
  EXPECT_EQ(std::string(Parse(get->body)["log_format"].GetString()), "json");
  auto set = c.Post("/v2/logging", R"({"log_verbose_level":0})");
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(Parse(set->body)["log_verbose_level"].GetInt(), 0);
  ASSERT_EQ(c.Post("/v2/models/simple/infer", Body("quiet-1"))->status, 200);
  EXPECT_TRUE(LinesWithId("quiet-1").empty());
  EXPECT_EQ(c.Post("/v2/logging", R"({"log_verbose_level":-1})")->status, 400);
  EXPECT_EQ(c.Post("/v2/logging", R"({"log_format":"xml"})")->status, 400);
}

TEST_F(LoggingTraceTest, SampledRequestsWriteOrderedTimestamps) {
  auto c = Http();
  for (const char* id : {"t-1", "t-2"}) {
    ASSERT_EQ(c.Post("/v2/models/simple/infer", Body(id))->status, 200);
  }
  auto lines = AwaitLines(2, [this] { return Lines(dir_ / "trace"); });
  ASSERT_EQ(lines.size(), 2u);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto doc = Parse(lines[i]);
    ASSERT_FALSE(doc.HasParseError()) << lines[i];
    EXPECT_EQ(std::string(doc["id"].GetString()), i == 0 ? "t-1" : "t-2");
    EXPECT_EQ(std::string(doc["model_name"].GetString()), "simple");
    const auto& ts = doc["timestamps"];
    ASSERT_EQ(ts.Size(), 5u) << lines[i];
    const char* names[] = {"received", "queued", "compute_start", "compute_end", "response_sent"};
    for (rapidjson::SizeType k = 0; k < ts.Size(); ++k) {
      EXPECT_EQ(std::string(ts[k]["name"].GetString()), names[k]);
      if (k > 0) {
        EXPECT_LE(ts[k - 1]["ns"].GetInt64(), ts[k]["ns"].GetInt64());
      }
    }
  }
  auto get = c.Get("/v2/trace/setting");
  ASSERT_EQ(get->status, 200);
  EXPECT_EQ(std::string(Parse(get->body)["trace_level"][0].GetString()), "TIMESTAMPS");
  EXPECT_EQ(std::string(Parse(get->body)["trace_rate"].GetString()), "1");
  auto off = c.Post("/v2/trace/setting", R"({"trace_level":["OFF"]})");
  ASSERT_EQ(off->status, 200) << off->body;
  ASSERT_EQ(c.Post("/v2/models/simple/infer", Body("t-3"))->status, 200);
  EXPECT_EQ(Lines(dir_ / "trace").size(), 2u);
  EXPECT_EQ(c.Post("/v2/trace/setting", R"({"trace_rate":"0"})")->status, 400);
}

}  // namespace
}  // namespace inferd::testing
