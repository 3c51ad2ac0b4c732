// `inferd check-repository` over a Triton repository that mixes what inferd loads with what it
// refuses, and `inferd serve` over the same folder: the checker's verdicts (table, JSON, exit
// code) and the server's repository index agree model by model; the KIND_GPU model fails with its
// reason while the rest serve, and readiness follows --strict-readiness.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "client/http_connection.h"
#include "server_process.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGpuReason =
    "instance_group kind KIND_GPU needs a GPU; this server has no GPU support (built without "
    "CUDA) — set kind: KIND_CPU to run on the CPU";

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

rapidjson::Document ParseJsonText(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

class CheckRepositoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ =
        fs::temp_directory_path() / ("inferd_check_repo_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    const fs::path simple = SourcePath("examples/model_repository/simple");
    const fs::path onnx = simple / "1" / "model.onnx";
    // Loads: the quick-start model as shipped.
    fs::copy(simple, root_ / "good", fs::copy_options::recursive);
    ReplaceName(root_ / "good" / "config.pbtxt", "good");
    // Loads with a warning: an ignored field (line 2 of its config.pbtxt after the name).
    fs::copy(simple, root_ / "warned", fs::copy_options::recursive);
    ReplaceName(root_ / "warned" / "config.pbtxt", "warned");
    std::ofstream(root_ / "warned" / "config.pbtxt", std::ios::app)
        << "metric_tags { key: \"team\" value: \"vision\" }\n";
    // Refused: backends inferd does not have.
    WriteText(root_ / "py" / "config.pbtxt", "backend: \"python\"\nmax_batch_size: 0\n");
    WriteText(root_ / "py" / "1" / "model.py", "# triton python model\n");
    WriteText(root_ / "trt" / "config.pbtxt", "platform: \"tensorrt_plan\"\nmax_batch_size: 8\n");
    WriteText(root_ / "trt" / "1" / "model.plan", "plan");
    // Refused: the version folder has no model.onnx.
    WriteText(root_ / "nofile" / "config.pbtxt", "platform: \"onnxruntime_onnx\"\n");
    fs::create_directories(root_ / "nofile" / "1");
    // Refused: a Triton field inferd does not support (line 3), and a misspelt field.
    WriteText(root_ / "stateful" / "config.pbtxt",
              "platform: \"onnxruntime_onnx\"\nmax_batch_size: 4\n"
              "sequence_batching {\n  iterative_sequence: true\n}\n");
    fs::create_directories(root_ / "stateful" / "1");
    fs::copy_file(onnx, root_ / "stateful" / "1" / "model.onnx");
    WriteText(root_ / "typo" / "config.pbtxt",
              "platform: \"onnxruntime_onnx\"\nmax_batch_siz: 4\n");
    fs::create_directories(root_ / "typo" / "1");
    fs::copy_file(onnx, root_ / "typo" / "1" / "model.onnx");
    // Refused on this CPU-only build: a GPU instance group.
    fs::copy(simple, root_ / "gpu", fs::copy_options::recursive);
    ReplaceName(root_ / "gpu" / "config.pbtxt", "gpu");
    std::ofstream(root_ / "gpu" / "config.pbtxt", std::ios::app)
        << "instance_group [ { kind: KIND_GPU count: 1 gpus: [ 0 ] } ]\n";
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static void ReplaceName(const fs::path& config, const std::string& name) {
    std::ifstream in(config);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = text.find("name: \"simple\"");
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, 14, "name: \"" + name + "\"");
    std::ofstream(config, std::ios::trunc) << text;
  }

  static CommandOutcome Check(const std::string& args) {
    return RunShellCommand("timeout 120 " + InferdBinary() + " check-repository " + args);
  }

  // model -> status, from `check-repository --json`
  static std::map<std::string, std::string> CheckStatuses(const std::string& extra) {
    const CommandOutcome out = Check(root_.string() + " --json " + extra + " 2>/dev/null");
    EXPECT_EQ(out.exit_code, 1) << out.output;
    const auto doc = ParseJsonText(out.output);
    std::map<std::string, std::string> statuses;
    if (!doc.IsObject()) return statuses;
    EXPECT_FALSE(doc["ok"].GetBool());
    for (const auto& row : doc["models"].GetArray()) {
      statuses[row["name"].GetString()] = row["status"].GetString();
    }
    return statuses;
  }

  static inline fs::path root_;
};

TEST_F(CheckRepositoryTest, TableNamesEveryModelWithItsReason) {
  const CommandOutcome out = Check(root_.string());
  EXPECT_EQ(out.exit_code, 1) << out.output;
  const std::string& text = out.output;
  EXPECT_NE(text.find("MODEL"), std::string::npos) << text;
  EXPECT_NE(text.find("backend 'python' is not supported"), std::string::npos) << text;
  EXPECT_NE(text.find("platform 'tensorrt_plan' is not supported"), std::string::npos) << text;
  EXPECT_NE(text.find("nofile/1/model.onnx' of version 1 not found or unreadable"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("stateful/config.pbtxt:4:3: sequence_batching.iterative_sequence is not "
                      "supported"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("typo/config.pbtxt:2:1:"), std::string::npos) << text;
  EXPECT_NE(text.find("max_batch_siz"), std::string::npos) << text;
  EXPECT_NE(text.find(kGpuReason), std::string::npos) << text;
  EXPECT_NE(text.find("metric_tags is ignored"), std::string::npos) << text;
  EXPECT_NE(text.find("--load opens them"), std::string::npos) << text;
}

TEST_F(CheckRepositoryTest, JsonVerdictsAndExitCode) {
  const auto statuses = CheckStatuses("");
  const std::map<std::string, std::string> expected = {
      {"good", "OK"},     {"warned", "WARN"},   {"py", "FAIL"},   {"trt", "FAIL"},
      {"nofile", "FAIL"}, {"stateful", "FAIL"}, {"typo", "FAIL"}, {"gpu", "FAIL"}};
  EXPECT_EQ(statuses, expected);
  // --load opens the models as serve does; the verdicts here do not change.
  EXPECT_EQ(CheckStatuses("--load"), expected);
}

TEST_F(CheckRepositoryTest, ExitsZeroWhenEverythingLoads) {
  const fs::path clean = root_.parent_path() / (root_.filename().string() + "_clean");
  fs::create_directories(clean);
  fs::copy(root_ / "good", clean / "good", fs::copy_options::recursive);
  fs::copy(root_ / "warned", clean / "warned", fs::copy_options::recursive);
  const CommandOutcome out = Check(clean.string() + " --load");
  EXPECT_EQ(out.exit_code, 0) << out.output;
  EXPECT_NE(out.output.find("2 of 2 rows load"), std::string::npos) << out.output;
  const CommandOutcome missing = Check((clean / "absent").string());
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  fs::remove_all(clean);
}

// One code path: whatever check-repository says loads is READY in serve's index, whatever it
// refuses is UNAVAILABLE there, with the same reason for the GPU model.
TEST_F(CheckRepositoryTest, ServeAgreesAndReadinessFollowsStrictReadiness) {
  const auto checked = CheckStatuses("--load");
  auto started =
      ServerProcess::Start({"--model-repository", root_.string(), "--strict-readiness", "false"});
  ASSERT_TRUE(started.ok()) << started.status();
  client::HttpConnection c("127.0.0.1", (*started)->http_port());
  EXPECT_EQ(c.Get("/v2/health/ready")->status, 200);
  const auto index = ParseJsonText(c.Post("/v2/repository/index", "{}")->body);
  ASSERT_TRUE(index.IsArray());
  std::map<std::string, std::string> served;
  std::string gpu_reason;
  for (const auto& e : index.GetArray()) {
    served[e["name"].GetString()] = e["state"].GetString();
    if (std::string(e["name"].GetString()) == "gpu" && e.HasMember("reason")) {
      gpu_reason = e["reason"].GetString();
    }
  }
  ASSERT_EQ(served.size(), checked.size());
  for (const auto& [model, status] : checked) {
    EXPECT_EQ(served[model] == "READY", status != "FAIL") << model << ": " << served[model];
  }
  EXPECT_NE(gpu_reason.find(kGpuReason), std::string::npos) << gpu_reason;
  EXPECT_EQ(c.Get("/v2/models/good/ready")->status, 200);
  EXPECT_EQ((*started)->Stop(), 0);

  auto strict = ServerProcess::Start({"--model-repository", root_.string()});
  ASSERT_TRUE(strict.ok()) << strict.status();
  client::HttpConnection s("127.0.0.1", (*strict)->http_port());
  EXPECT_EQ(s.Get("/v2/health/ready")->status, 400);  // the GPU model (and others) did not load
  EXPECT_EQ(s.Get("/v2/models/good/ready")->status, 200);
  EXPECT_EQ((*strict)->Stop(), 0);
}

// Triton's spellings reach the same code: --backend-config and --min-supported-compute-capability
// parse as `tritonserver`, and an unknown onnxruntime setting is warned about.
TEST_F(CheckRepositoryTest, TritonGpuFlagsParse) {
  const fs::path log = root_.parent_path() / (root_.filename().string() + ".log");
  std::vector<std::string> argv = {InferdBinary(),
                                   "tritonserver",
                                   "--model-store=" + (root_ / "good").parent_path().string(),
                                   "--strict-readiness=false",
                                   "--min-supported-compute-capability=7.5",
                                   "--backend-config=onnxruntime,no-such-setting=1",
                                   "--backend-config=default-max-batch-size=8",
                                   "--log-file=" + log.string(),
                                   "--http-port=0",
                                   "--grpc-port=0",
                                   "--metrics-port=0",
                                   "--http-address=127.0.0.1",
                                   "--grpc-address=127.0.0.1",
                                   "--metrics-address=127.0.0.1"};
  auto server = ServerProcess::StartCommand(argv, true, true);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->Stop(), 0);
  std::ifstream file(log);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("--backend-config=onnxruntime,no-such-setting=1: unknown setting"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("min-supported-compute-capability is a Triton option inferd does not"),
            std::string::npos)
      << text;
  fs::remove(log);
  const CommandOutcome bad =
      RunShellCommand("timeout 60 " + InferdBinary() + " serve --model-repository " +
                      root_.string() + " --backend-config=onnxruntime,novalue");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

}  // namespace
}  // namespace inferd::testing
