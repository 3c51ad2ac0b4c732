// The server's command line as deployments use it, on the real binary: KServe's Triton runtime
// arguments (as `tritonserver` through a symlink and as `inferd tritonserver`), --id and the
// server name, one version string, unknown and unimplemented flags, and `inferd health`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "client/inference_client.h"
#include "server_process.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

using Outcome = CommandOutcome;

// Runs a shell command line (bounded by `timeout`, so a hung child fails the test).
Outcome RunShell(const std::string& command) { return RunShellCommand("timeout 60 " + command); }

// "0.1.0" from "inferd 0.1.0\n".
std::string VersionOfBinary() {
  const Outcome out = RunShell(InferdBinary() + " --version");
  EXPECT_EQ(out.exit_code, 0) << out.output;
  std::string version = out.output.substr(out.output.find(' ') + 1);
  while (!version.empty() && std::isspace(static_cast<unsigned char>(version.back()))) {
    version.pop_back();
  }
  return version;
}

client::ServerMetadata Metadata(client::Protocol protocol, int port) {
  auto c = client::CreateClient(protocol, {.url = "127.0.0.1:" + std::to_string(port)});
  EXPECT_TRUE(c.ok()) << c.status();
  if (!c.ok()) return {};
  auto metadata = (*c)->GetServerMetadata();
  EXPECT_TRUE(metadata.ok()) << metadata.status();
  return metadata.ok() ? *metadata : client::ServerMetadata{};
}

bool Ready(int port) {
  auto c =
      client::CreateClient(client::Protocol::kHttp, {.url = "127.0.0.1:" + std::to_string(port)});
  if (!c.ok()) return false;
  auto ready = (*c)->IsServerReady();
  return ready.ok() && *ready;
}

class CommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("inferd_command_line_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // KServe's ServingRuntime arguments for Triton (ports 0), plus loopback-only addresses and a
  // free metrics port so that the test binds nothing fixed or public.
  std::vector<std::string> KServeArgs() const {
    return {"--model-store=" + SourcePath("examples/model_repository"),
            "--grpc-port=0",
            "--http-port=0",
            "--allow-grpc=true",
            "--allow-http=true",
            "--http-address=127.0.0.1",
            "--grpc-address=127.0.0.1",
            "--metrics-port=0",
            "--metrics-address=127.0.0.1"};
  }

  void ExpectServesAsTriton(std::vector<std::string> argv) {
    auto server = ServerProcess::StartCommand(std::move(argv), true, true);
    ASSERT_TRUE(server.ok()) << server.status();
    EXPECT_TRUE(Ready((*server)->http_port()));
    const std::string version = VersionOfBinary();
    const auto http = Metadata(client::Protocol::kHttp, (*server)->http_port());
    EXPECT_EQ(http.name, "triton");
    EXPECT_EQ(http.version, version);
    const auto grpc = Metadata(client::Protocol::kGrpc, (*server)->grpc_port());
    EXPECT_EQ(grpc.name, "triton");
    EXPECT_EQ(grpc.version, version);
    EXPECT_EQ((*server)->Stop(), 0);
  }

  fs::path dir_;
};

TEST_F(CommandLineTest, KServeArgumentsThroughATritonserverSymlink) {
  const fs::path link = dir_ / "tritonserver";
  fs::create_symlink(InferdBinary(), link);
  std::vector<std::string> argv = {link.string()};
  for (auto& arg : KServeArgs()) argv.push_back(arg);
  ExpectServesAsTriton(argv);
}

TEST_F(CommandLineTest, KServeArgumentsAfterATritonserverArgument) {
  std::vector<std::string> argv = {InferdBinary(), "tritonserver"};
  for (auto& arg : KServeArgs()) argv.push_back(arg);
  ExpectServesAsTriton(argv);
}

TEST_F(CommandLineTest, OptionsWithoutSubcommandServeUnderTheGivenId) {
  std::vector<std::string> argv = {InferdBinary(), "--id", "edge-7"};
  for (auto& arg : KServeArgs()) argv.push_back(arg);
  auto server = ServerProcess::StartCommand(argv, true, true);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Metadata(client::Protocol::kHttp, (*server)->http_port()).name, "edge-7");
  EXPECT_EQ(Metadata(client::Protocol::kGrpc, (*server)->grpc_port()).name, "edge-7");
}

TEST_F(CommandLineTest, ServeKeepsInferdsNameAndTheOneVersion) {
  auto server =
      ServerProcess::Start({"--model-repository", SourcePath("examples/model_repository")});
  ASSERT_TRUE(server.ok()) << server.status();
  const auto http = Metadata(client::Protocol::kHttp, (*server)->http_port());
  EXPECT_EQ(http.name, "inferd");
  EXPECT_EQ(http.version, VersionOfBinary());
  EXPECT_EQ(Metadata(client::Protocol::kGrpc, (*server)->grpc_port()).version, VersionOfBinary());
}

TEST_F(CommandLineTest, AllowHttpFalseStartsNoHttpListener) {
  std::vector<std::string> argv = {InferdBinary(), "tritonserver"};
  for (auto& arg : KServeArgs()) argv.push_back(arg);
  argv.push_back("--allow-http=false");  // the last value wins, as with Triton's parser
  auto server = ServerProcess::StartCommand(argv, true, true, std::chrono::seconds(60), false);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->http_port(), 0);
  EXPECT_EQ(Metadata(client::Protocol::kGrpc, (*server)->grpc_port()).name, "triton");
  EXPECT_EQ((*server)->Stop(), 0);
}

TEST_F(CommandLineTest, ExitOnErrorEndsTheProcessWhenAModelFailsToLoad) {
  fs::create_directories(dir_ / "repo" / "broken" / "1");
  std::ofstream(dir_ / "repo" / "broken" / "config.pbtxt")
      << "name: \"broken\"\nmax_batch_siz: 1\n";
  const std::string repo = (dir_ / "repo").string();
  const Outcome out =
      RunShell(InferdBinary() + " tritonserver --model-store=" + repo +
               " --http-port=0 --grpc-port=0 --metrics-port=0 --http-address=127.0.0.1"
               " --grpc-address=127.0.0.1 --metrics-address=127.0.0.1 --exit-on-error=true");
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_NE(out.output.find("--exit-on-error: model 'broken'"), std::string::npos) << out.output;
}

TEST_F(CommandLineTest, UnimplementedTritonFlagIsLoggedAndIgnored) {
  const fs::path log = dir_ / "server.log";
  std::vector<std::string> argv = {InferdBinary(), "tritonserver", "--reuse-grpc-port=false",
                                   "--log-file=" + log.string(), "--backend-config=onnx,x=1"};
  for (auto& arg : KServeArgs()) argv.push_back(arg);
  auto server = ServerProcess::StartCommand(argv, true, true);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->Stop(), 0);  // the log is flushed at exit
  std::ifstream file(log);
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_NE(text.str().find("--reuse-grpc-port is a Triton option inferd does not implement"),
            std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("--backend-config=onnx,x=1"), std::string::npos) << text.str();
}

TEST_F(CommandLineTest, UnknownFlagExitsWithASuggestion) {
  const Outcome out = RunShell(InferdBinary() + " tritonserver --model-stor=/tmp");
  EXPECT_EQ(out.exit_code, 2) << out.output;
  EXPECT_NE(out.output.find("did you mean --model-store?"), std::string::npos) << out.output;
  const Outcome serve = RunShell(InferdBinary() + " serve --model-repository /tmp --http-prot 1");
  EXPECT_EQ(serve.exit_code, 2) << serve.output;
  EXPECT_NE(serve.output.find("--http-port"), std::string::npos) << serve.output;
}

TEST_F(CommandLineTest, TritonserverVersion) {
  const fs::path link = dir_ / "tritonserver";
  fs::create_symlink(InferdBinary(), link);
  const Outcome out = RunShell(link.string() + " --version");
  EXPECT_EQ(out.exit_code, 0) << out.output;
  EXPECT_EQ(out.output, "inferd " + VersionOfBinary() + "\n");
}

TEST_F(CommandLineTest, HealthProbe) {
  auto server =
      ServerProcess::Start({"--model-repository", SourcePath("examples/model_repository")});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string port = std::to_string((*server)->http_port());
  const Outcome up = RunShell(InferdBinary() + " health --url http://127.0.0.1:" + port);
  EXPECT_EQ(up.exit_code, 0) << up.output;
  const Outcome by_env =
      RunShell("env INFERD_HTTP_PORT=" + port + " " + InferdBinary() + " health");
  EXPECT_EQ(by_env.exit_code, 0) << by_env.output;
  EXPECT_EQ((*server)->Stop(), 0);
  // Nothing listens there any more: not healthy, within the timeout.
  const auto start = std::chrono::steady_clock::now();
  const Outcome down =
      RunShell(InferdBinary() + " health --timeout-secs 2 --url http://127.0.0.1:" + port);
  EXPECT_EQ(down.exit_code, 1) << down.output;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace inferd::testing
