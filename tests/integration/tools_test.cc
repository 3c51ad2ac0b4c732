// `inferd perf` and `inferd smoke` as a user runs them, against the real server: perf's numbers
// obey Little's law and its request count matches the server's statistics; smoke's exit codes.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_split.h"
#include "client/http_client.h"
#include "client/inference_client.h"
#include "server_process.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

using Outcome = CommandOutcome;

Outcome RunInferd(const std::string& args) { return RunShellCommand(InferdBinary() + " " + args); }

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream s;
  s << file.rdbuf();
  return s.str();
}

// CSV rows (after the header) as columns of doubles.
std::vector<std::vector<double>> CsvRows(const std::string& csv) {
  std::vector<std::vector<double>> rows;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(csv, '\n', absl::SkipEmpty())) {
    if (std::exchange(header, false)) continue;
    std::vector<double> row;
    for (absl::string_view cell : absl::StrSplit(line, ',')) {
      row.push_back(std::stod(std::string(cell)));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class ToolsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        fs::temp_directory_path() / ("inferd_tools_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    MakeImageRepository(dir_ / "images");
    auto started =
        ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository"),
                              "--model-repository", (dir_ / "images").string()});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  // The example convnet as two versions of one model: version 1 with the model's pipeline
  // (ImageNet normalization), version 2 with its own (no normalization), so that the same image
  // gives different scores; every class is returned (top_k 0), so all scores are compared.
  static void MakeImageRepository(const fs::path& repo) {
    const fs::path src = SourcePath("examples/model_repository/convnet");
    const fs::path dst = repo / "convnet_versions";
    for (const char* version : {"1", "2"}) {
      fs::create_directories(dst / version);
      fs::copy_file(src / "1" / "model.onnx", dst / version / "model.onnx");
    }
    fs::copy_file(src / "labels.txt", dst / "labels.txt");
    std::string config = ReadFile(src / "config.pbtxt");
    config.replace(config.find("\"convnet\""), 9, "\"convnet_versions\"");
    std::ofstream(dst / "config.pbtxt") << config << "version_policy: { all: {} }\n";
    const std::string image = R"("resize": {"shorter_side": 256},
        "center_crop": {"width": 224, "height": 224}, "scale": true)";
    std::ofstream(dst / "pipeline.json")
        << R"({"image": {)" << image << R"(, "mean": [0.485, 0.456, 0.406],
        "std": [0.229, 0.224, 0.225]}, "output": {"softmax": true, "top_k": 0}})";
    std::ofstream(dst / "2" / "pipeline.json")
        << R"({"image": {)" << image << R"(}, "output": {"softmax": true, "top_k": 0}})";
  }
  static void TearDownTestSuite() {
    server_.reset();
    fs::remove_all(dir_);
  }
  static std::string HttpUrl() { return "127.0.0.1:" + std::to_string(server_->http_port()); }
  static std::string GrpcUrl() { return "127.0.0.1:" + std::to_string(server_->grpc_port()); }

  static uint64_t ServerSuccesses(const std::string& model) {
    auto c = *client::CreateClient(client::Protocol::kHttp, {.url = HttpUrl()});
    auto stats = c->GetModelStatistics(model);
    EXPECT_TRUE(stats.ok()) << stats.status();
    uint64_t total = 0;
    for (const auto& s : *stats) total += s.success.count + s.fail.count;
    return total;
  }

  static inline std::unique_ptr<ServerProcess> server_;
  static inline fs::path dir_;
};

uint64_t RequestsSent(const std::string& output) {
  const size_t at = output.find("Requests sent: ");
  EXPECT_NE(at, std::string::npos) << output;
  return at == std::string::npos ? 0 : std::stoull(output.substr(at + 15));
}

TEST_F(ToolsTest, PerfConcurrencySweepObeysLittlesLawAndMatchesServerCount) {
  const uint64_t before = ServerSuccesses("simple_copy");
  const fs::path csv = dir_ / "perf.csv", svg = dir_ / "perf.svg";
  Outcome run = RunInferd("perf -m simple_copy -u " + HttpUrl() +
                          " --concurrency-range 1:4:3 -p 300 -r 6 -f " + csv.string() + " --plot " +
                          svg.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Request concurrency: 4"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("compute infer"), std::string::npos);
  EXPECT_EQ(run.output.find("\r"), std::string::npos) << "no progress line without a TTY";
  const std::string text = ReadFile(csv);
  // perf_analyzer's columns, in its order, come first (tools reading its CSV read ours).
  EXPECT_EQ(text.rfind("Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,"
                       "Server Queue,Server Compute Input,Server Compute Infer,"
                       "Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,"
                       "p99 latency,Avg latency,",
                       0),
            0u)
      << text;
  const auto rows = CsvRows(text);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) {
    const double concurrency = row[0], throughput = row[1], avg_latency_s = row[13] / 1e6;
    // Little's law for a closed loop: requests in flight = throughput x latency.
    EXPECT_NEAR(throughput * avg_latency_s, concurrency, 0.15 * concurrency)
        << "throughput " << throughput << " latency " << avg_latency_s;
    EXPECT_GT(row[6], 0) << "server compute infer";
    EXPECT_LE(row[9], row[12]) << "p50 <= p99";
  }
  EXPECT_EQ(ServerSuccesses("simple_copy") - before, RequestsSent(run.output));
  const std::string plot = ReadFile(svg);
  EXPECT_NE(plot.find("<svg"), std::string::npos);
  EXPECT_EQ(std::count(plot.begin(), plot.end(), '\n') > 10, true);
  EXPECT_NE(plot.find("p95"), std::string::npos);
}

TEST_F(ToolsTest, PerfOverGrpcAndRequestRate) {
  const uint64_t before = ServerSuccesses("two_versions");
  const fs::path csv = dir_ / "rate.csv";
  Outcome run = RunInferd(
      "perf -m two_versions -x 1 -b 2 -i grpc -u " + GrpcUrl() +
      " --request-rate-range 200 --request-distribution poisson -p 400 -r 5 -f " + csv.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string text = ReadFile(csv);
  EXPECT_EQ(text.rfind("Request Rate,Inferences/Second,Client Send,", 0), 0u) << text;
  const auto rows = CsvRows(text);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(rows[0][1], 400, 120) << "200 requests/s x batch 2";
  EXPECT_EQ(ServerSuccesses("two_versions") - before, RequestsSent(run.output));
}

TEST_F(ToolsTest, PerfBadModelAndOptionsFail) {
  EXPECT_NE(RunInferd("perf -m no_such_model -p 100 -u " + HttpUrl()).exit_code, 0);
  EXPECT_EQ(RunInferd("perf -m simple_copy -b 99 -p 100 -u " + HttpUrl()).exit_code, 2);
  EXPECT_NE(RunInferd("perf -m simple_copy --concurrency-range 4:1 -u " + HttpUrl()).exit_code, 0);
}

TEST_F(ToolsTest, SmokePassesOnAHealthyServer) {
  Outcome run = RunInferd("smoke -m simple_copy -n 10 --json -u " + HttpUrl());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  rapidjson::Document doc;
  doc.Parse(run.output.c_str());
  ASSERT_FALSE(doc.HasParseError()) << run.output;
  EXPECT_TRUE(doc["passed"].GetBool());
  EXPECT_EQ(doc["inferences"].GetInt(), 10);
  EXPECT_EQ(doc["success_rate"].GetDouble(), 1.0);
  EXPECT_GT(doc["p95_ms"].GetDouble(), 0);
  Outcome grpc = RunInferd("smoke -i grpc -m simple_copy -n 5 -u " + GrpcUrl());
  EXPECT_EQ(grpc.exit_code, 0) << grpc.output;
  EXPECT_NE(grpc.output.find("PASSED"), std::string::npos);
}

TEST_F(ToolsTest, SmokeWithAnInputFile) {
  const fs::path input = dir_ / "input.json";
  std::ofstream(input) << R"({"data": [{"INPUT0": [[1, 2, 3, 4]]}]})";
  Outcome run =
      RunInferd("smoke -m two_versions -n 3 --input " + input.string() + " -u " + HttpUrl());
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(
      RunInferd("smoke -m two_versions --input " + (dir_ / "missing").string() + " -u " + HttpUrl())
          .exit_code,
      2);
}

TEST_F(ToolsTest, SmokeFailsAnUnreachableSla) {
  Outcome run = RunInferd("smoke -m simple_copy -n 5 --sla-p95-ms 0.000001 -u " + HttpUrl());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAILED: sla-p95"), std::string::npos) << run.output;
}

TEST_F(ToolsTest, SmokeFailsAMissingModel) {
  Outcome run = RunInferd("smoke -m no_such_model -u " + HttpUrl());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAILED: health"), std::string::npos) << run.output;
}

TEST_F(ToolsTest, SmokeFailsAStoppedServer) {
  auto other =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository"),
                            "--allow-grpc", "false"});
  ASSERT_TRUE(other.ok()) << other.status();
  const std::string url = "127.0.0.1:" + std::to_string((*other)->http_port());
  EXPECT_EQ((*other)->Stop(), 0);
  Outcome run = RunInferd("smoke -m simple_copy --json -u " + url);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("\"failed_check\":\"health\""), std::string::npos) << run.output;
}

TEST_F(ToolsTest, SmokeCompareDetectsAVersionWhoseOutputsDiffer) {
  Outcome differ =
      RunInferd("smoke -m two_versions -x 1 --compare-version 2 -n 20 --json -u " + HttpUrl());
  EXPECT_EQ(differ.exit_code, 1) << differ.output;
  rapidjson::Document doc;
  doc.Parse(differ.output.c_str());
  ASSERT_FALSE(doc.HasParseError()) << differ.output;
  EXPECT_FALSE(doc["passed"].GetBool());
  EXPECT_STREQ(doc["failed_check"].GetString(), "compare-max-abs-diff-OUTPUT0");
  ASSERT_EQ(doc["comparisons"].Size(), 1u);
  EXPECT_GT(doc["comparisons"][0]["max_abs_diff"].GetDouble(), 0.1);
  EXPECT_LT(doc["comparisons"][0]["top1_agreement"].GetDouble(), 0.5);

  Outcome same = RunInferd("smoke -m two_versions -x 1 --compare-version 1 -n 20 -u " + HttpUrl());
  EXPECT_EQ(same.exit_code, 0) << same.output;
  Outcome by_url = RunInferd("smoke -m two_versions -x 2 --compare-url " + HttpUrl() +
                             " --max-abs-diff -1 --min-top1-agreement 0.9 -u " + HttpUrl());
  EXPECT_EQ(by_url.exit_code, 0) << by_url.output;  // same version on the same server
}

TEST_F(ToolsTest, SmokeWithAnImageUsesThePredictEndpoint) {
  const std::string image = SourcePath("examples/images/shapes.jpg");
  Outcome run = RunInferd("smoke -m convnet_versions -n 5 --input " + image + " -u " + HttpUrl());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("check image-pipeline: PASS"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("inferences: 5, succeeded 5"), std::string::npos) << run.output;

  // The top label is the server's own answer for the same upload.
  client::HttpClient http({.url = HttpUrl()});
  auto direct = http.Predict("convnet_versions", "", ReadFile(image));
  ASSERT_TRUE(direct.ok()) << direct.status();
  ASSERT_FALSE(direct->predictions.empty());
  EXPECT_NE(run.output.find("top-1: " + direct->predictions[0].label + " (index"),
            std::string::npos)
      << run.output;

  // A PNG, and by magic bytes: the name says nothing.
  const fs::path renamed = dir_ / "waves.bin";
  fs::copy_file(SourcePath("examples/images/waves.png"), renamed,
                fs::copy_options::overwrite_existing);
  Outcome json = RunInferd("smoke -m convnet_versions -x 1 -n 3 --json --input " +
                           renamed.string() + " -u " + HttpUrl());
  ASSERT_EQ(json.exit_code, 0) << json.output;
  rapidjson::Document doc;
  doc.Parse(json.output.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json.output;
  EXPECT_EQ(doc["inferences"].GetInt(), 3);
  EXPECT_GT(doc["p95_ms"].GetDouble(), 0);
  EXPECT_TRUE(doc["top_prediction"]["label"].IsString());
}

TEST_F(ToolsTest, SmokeWithAnImageFailsAModelWithoutPipeline) {
  const std::string image = SourcePath("examples/images/shapes.jpg");
  Outcome run = RunInferd("smoke -m two_versions --input " + image + " -u " + HttpUrl());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("FAILED: image-pipeline"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("declares no image pipeline"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("sla-p95"), std::string::npos) << "no timing after a failed probe";

  Outcome grpc =
      RunInferd("smoke -i grpc -m convnet_versions --input " + image + " -u " + GrpcUrl());
  EXPECT_EQ(grpc.exit_code, 2) << grpc.output;
  EXPECT_NE(grpc.output.find("use -i http"), std::string::npos) << grpc.output;
}

TEST_F(ToolsTest, SmokeCompareWithAnImage) {
  const std::string image = SourcePath("examples/images/shapes.jpg");
  Outcome same =
      RunInferd("smoke -m convnet_versions -x 1 --compare-version 1 -n 4 --json --input " + image +
                " -u " + HttpUrl());
  ASSERT_EQ(same.exit_code, 0) << same.output;
  rapidjson::Document doc;
  doc.Parse(same.output.c_str());
  ASSERT_FALSE(doc.HasParseError()) << same.output;
  ASSERT_EQ(doc["comparisons"].Size(), 1u);
  EXPECT_STREQ(doc["comparisons"][0]["output"].GetString(), "predictions");
  EXPECT_EQ(doc["comparisons"][0]["max_abs_diff"].GetDouble(), 0);
  EXPECT_EQ(doc["comparisons"][0]["top1_agreement"].GetDouble(), 1.0);

  // Version 2 preprocesses differently: its scores differ, and the check says so.
  Outcome differ = RunInferd(
      "smoke -m convnet_versions -x 1 --compare-version 2 -n 4 --min-top1-agreement 0 --json "
      "--input " +
      image + " -u " + HttpUrl());
  EXPECT_EQ(differ.exit_code, 1) << differ.output;
  doc.Parse(differ.output.c_str());
  ASSERT_FALSE(doc.HasParseError()) << differ.output;
  EXPECT_STREQ(doc["failed_check"].GetString(), "compare-max-abs-diff-predictions");
  EXPECT_GT(doc["comparisons"][0]["max_abs_diff"].GetDouble(), 1e-4);
}

}  // namespace
}  // namespace inferd::testing
