// TLS on the HTTP and metrics ports, against the real binary with certificates made at test
// time: the right CA passes (inference included), a wrong CA fails, plain text is refused
// cleanly, a handshake that never comes is timed out, mutual TLS refuses a client without a
// certificate, SIGHUP rotates the certificate (and a bad file keeps the old one), and the tools
// work over TLS.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <future>
#include <memory>

#include "absl/strings/match.h"
#include "client/http_client.h"
#include "client/http_connection.h"
#include "client/inference_client.h"
#include "client/tls_stream.h"
#include "server_process.h"
#include "socket_util.h"
#include "tls_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::vector<client::InferInput> SimpleInputs() {
  std::vector<int32_t> x(16), ones(16, 1);
  for (int i = 0; i < 16; ++i) x[i] = i;
  std::vector<client::InferInput> inputs{client::InferInput("INPUT0", {1, 16}, "INT32"),
                                         client::InferInput("INPUT1", {1, 16}, "INT32")};
  EXPECT_TRUE(inputs[0].SetData(x).ok());
  EXPECT_TRUE(inputs[1].SetData(ones).ok());
  return inputs;
}

client::ClientOptions Options(int port, const std::string& ca) {
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string(port);
  options.tls.enabled = true;
  options.tls.ca_file = ca;
  options.retry.max_attempts = 1;
  options.connect_timeout = std::chrono::seconds(5);
  options.request_timeout = std::chrono::seconds(10);
  return options;
}

std::vector<std::string> ServeArgs(const TestPki& pki, const fs::path& cert, const fs::path& key,
                                   bool mutual) {
  std::vector<std::string> args = {"--model-repository",
                                   SourcePath("examples/model_repository"),
                                   "--model-control-mode",
                                   "explicit",
                                   "--load-model",
                                   "simple",
                                   "--allow-grpc",
                                   "false",
                                   "--http-ssl-cert",
                                   cert.string(),
                                   "--http-ssl-key",
                                   key.string(),
                                   "--metrics-ssl-cert",
                                   cert.string(),
                                   "--metrics-ssl-key",
                                   key.string(),
                                   "--http-header-timeout-secs",
                                   "2"};
  if (mutual) {
    for (const char* flag : {"--http-ssl-client-ca", "--metrics-ssl-client-ca"}) {
      args.push_back(flag);
      args.push_back(pki.Cert("ca"));
    }
  }
  return args;
}

class TlsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki_.ok()) << "openssl could not make the test certificates";
    // The server reads copies, so the rotation test can replace them.
    cert_ = pki_.dir() / "served.crt";
    key_ = pki_.dir() / "served.key";
    fs::copy_file(pki_.Cert("server"), cert_);
    fs::copy_file(pki_.Key("server"), key_);
  }
  void StartServer(bool mutual = false) {
    auto started = ServerProcess::Start(ServeArgs(pki_, cert_, key_, mutual));
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }

  TestPki pki_;
  fs::path cert_, key_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TlsHttpTest, ValidCaServesInferenceAndMetrics) {
  StartServer();
  client::HttpClient http_client(Options(server_->http_port(), pki_.Cert("ca")));
  client::InferenceClient& c = http_client;
  auto ready = c.IsServerReady();
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_TRUE(*ready);
  auto result = c.Infer(client::InferOptions("simple"), SimpleInputs());
  ASSERT_TRUE(result.ok()) << result.status();
  auto sum = result->template As<int32_t>("OUTPUT0");
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ((*sum)[15], 16);
  // Asynchronous requests take the other transport (AsyncHttp).
  std::promise<Status> done;
  c.AsyncInfer([&](StatusOr<client::InferResult> r) { done.set_value(r.status()); },
               client::InferOptions("simple"), SimpleInputs());
  EXPECT_TRUE(done.get_future().get().ok());

  client::HttpConnection metrics("127.0.0.1", server_->metrics_port(), std::chrono::seconds(10),
                                 std::chrono::seconds(5),
                                 client::MakeTlsConfig(Options(0, pki_.Cert("ca"))));
  auto scrape = metrics.Get("/metrics");
  ASSERT_TRUE(scrape.ok()) << scrape.status();
  EXPECT_EQ(scrape->status, 200);
  EXPECT_TRUE(absl::StrContains(scrape->body, "nv_inference_request_success"));
}

TEST_F(TlsHttpTest, WrongCaFailsOnBothPorts) {
  StartServer();
  client::HttpClient c(Options(server_->http_port(), pki_.Cert("other_ca")));
  EXPECT_FALSE(c.IsServerReady().ok());
  client::HttpConnection metrics("127.0.0.1", server_->metrics_port(), std::chrono::seconds(10),
                                 std::chrono::seconds(5),
                                 client::MakeTlsConfig(Options(0, pki_.Cert("other_ca"))));
  EXPECT_FALSE(metrics.Get("/metrics").ok());
  // The server is unharmed.
  EXPECT_TRUE(
      client::HttpClient(Options(server_->http_port(), pki_.Cert("ca"))).IsServerReady().ok());
}

TEST_F(TlsHttpTest, PlainTextIsRefusedCleanly) {
  StartServer();
  client::HttpConnection plain("127.0.0.1", server_->http_port(), std::chrono::seconds(10));
  auto response = plain.Get("/v2/health/ready");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(absl::StrContains(response->body, "requires TLS"));
  // The metrics port closes a plain-text client (its handshake fails).
  client::HttpConnection plain_metrics("127.0.0.1", server_->metrics_port(),
                                       std::chrono::seconds(10));
  EXPECT_FALSE(plain_metrics.Get("/metrics").ok());
  EXPECT_TRUE(
      client::HttpClient(Options(server_->http_port(), pki_.Cert("ca"))).IsServerReady().ok());
}

// A client that connects and never sends its ClientHello (or stops half-way) is closed by the
// header timeout (2 s here) instead of holding the connection.
TEST_F(TlsHttpTest, StalledHandshakeIsTimedOut) {
  StartServer();
  for (const std::string& prefix : {std::string(), std::string("\x16\x03\x01\x00\x10", 5)}) {
    const int fd = ConnectLoopback(server_->http_port(), 10);  // a recv gives up after 10 s
    ASSERT_GE(fd, 0);
    if (!prefix.empty()) {
      ASSERT_EQ(::send(fd, prefix.data(), prefix.size(), 0), static_cast<ssize_t>(prefix.size()));
    }
    const auto start = std::chrono::steady_clock::now();
    char byte;
    EXPECT_EQ(::recv(fd, &byte, 1, 0), 0);  // closed by the server, not our own timeout
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
    ::close(fd);
  }
}

TEST_F(TlsHttpTest, MutualTlsRequiresAClientCertificate) {
  StartServer(/*mutual=*/true);
  auto without = Options(server_->http_port(), pki_.Cert("ca"));
  EXPECT_FALSE(client::HttpClient(without).IsServerReady().ok());
  auto with = without;
  with.tls.cert_file = pki_.Cert("client");
  with.tls.key_file = pki_.Key("client");
  auto ready = client::HttpClient(with).IsServerReady();
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_TRUE(*ready);
  client::HttpConnection metrics_without("127.0.0.1", server_->metrics_port(),
                                         std::chrono::seconds(10), std::chrono::seconds(5),
                                         client::MakeTlsConfig(without));
  EXPECT_FALSE(metrics_without.Get("/metrics").ok());
  client::HttpConnection metrics_with("127.0.0.1", server_->metrics_port(),
                                      std::chrono::seconds(10), std::chrono::seconds(5),
                                      client::MakeTlsConfig(with));
  auto scrape = metrics_with.Get("/metrics");
  ASSERT_TRUE(scrape.ok()) << scrape.status();
  EXPECT_EQ(scrape->status, 200);
}

TEST_F(TlsHttpTest, SighupRotatesTheCertificateAndKeepsItOnABadFile) {
  StartServer();
  const int http = server_->http_port();
  const int metrics = server_->metrics_port();
  EXPECT_TRUE(absl::StrContains(PresentedSubject(http, pki_.Cert("ca")), "CN = localhost"));
  fs::copy_file(pki_.Cert("server2"), cert_, fs::copy_options::overwrite_existing);
  fs::copy_file(pki_.Key("server2"), key_, fs::copy_options::overwrite_existing);
  server_->Signal(SIGHUP);
  EXPECT_TRUE(AwaitPresentedSubject(http, pki_.Cert("ca"), "localhost-rotated"));
  EXPECT_TRUE(AwaitPresentedSubject(metrics, pki_.Cert("ca"), "localhost-rotated"));
  // A broken file: the reload fails, the rotated certificate stays, the server keeps serving.
  fs::copy_file(pki_.Key("server"), cert_, fs::copy_options::overwrite_existing);
  server_->Signal(SIGHUP);
  auto ready = client::HttpClient(Options(http, pki_.Cert("ca"))).IsServerReady();
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_TRUE(absl::StrContains(PresentedSubject(http, pki_.Cert("ca")), "localhost-rotated"));
  EXPECT_EQ(server_->WaitForExit(std::chrono::milliseconds(0)), -1);  // still running
}

TEST_F(TlsHttpTest, ToolsWorkOverTls) {
  StartServer();
  const std::string url = "127.0.0.1:" + std::to_string(server_->http_port());
  const std::string ca = " --ssl-ca " + pki_.Cert("ca");
  auto perf =
      RunShellCommand(InferdBinary() + " perf -m simple -u " + url + ca + " -p 300 -r 5 -s 50");
  EXPECT_EQ(perf.exit_code, 0) << perf.output;
  auto smoke =
      RunShellCommand(InferdBinary() + " smoke -m simple -n 5 --sla-p95-ms 0 -u " + url + ca);
  EXPECT_EQ(smoke.exit_code, 0) << smoke.output;
  auto health = RunShellCommand(InferdBinary() + " health --url https://" + url + ca);
  EXPECT_EQ(health.exit_code, 0) << health.output;
  auto wrong = RunShellCommand(InferdBinary() + " health --url https://" + url + " --ssl-ca " +
                               pki_.Cert("other_ca"));
  EXPECT_NE(wrong.exit_code, 0) << wrong.output;
}

TEST(TlsStartupTest, BadFilesStopStartUpWithAClearError) {
  TestPki pki;
  ASSERT_TRUE(pki.ok());
  const std::string serve = InferdBinary() + " serve --model-repository " +
                            SourcePath("examples/model_repository") + " --http-port 0 ";
  auto missing = RunShellCommand(serve + "--http-ssl-cert /nonexistent.crt --http-ssl-key " +
                                 pki.Key("server"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(missing.output, "/nonexistent.crt")) << missing.output;
  auto mismatch = RunShellCommand(serve + "--http-ssl-cert " + pki.Cert("server") +
                                  " --http-ssl-key " + pki.Key("client"));
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(mismatch.output, "does not match")) << mismatch.output;
  auto half = RunShellCommand(serve + "--metrics-ssl-cert " + pki.Cert("server"));
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(half.output, "go together")) << half.output;
  auto grpc = RunShellCommand(serve + "--grpc-port 0 --grpc-use-ssl true");
  EXPECT_EQ(grpc.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(grpc.output, "--grpc-server-cert")) << grpc.output;
  auto grpc_mutual =
      RunShellCommand(serve + "--grpc-port 0 --grpc-use-ssl-mutual true " + "--grpc-server-cert " +
                      pki.Cert("server") + " --grpc-server-key " + pki.Key("server"));
  EXPECT_EQ(grpc_mutual.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(grpc_mutual.output, "--grpc-root-cert")) << grpc_mutual.output;
}

}  // namespace
}  // namespace inferd::testing
