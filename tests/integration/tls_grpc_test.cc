// gRPC over TLS with Triton's flags (--grpc-use-ssl, --grpc-use-ssl-mutual, --grpc-server-cert,
// --grpc-server-key, --grpc-root-cert), against the real binary with certificates made at test
// time: the right CA passes, a wrong CA and a plain-text client fail, mutual TLS refuses a client
// without a certificate, SIGHUP rotates the certificate, and the tools work over gRPC with TLS.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <memory>

#include "absl/strings/match.h"
#include "client/inference_client.h"
#include "server_process.h"
#include "tls_test_util.h"

namespace inferd::testing {
namespace {

class TlsGrpcTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pki_.ok()) << "openssl could not make the certificates"; }

  void StartServer(bool mutual) {
    std::vector<std::string> args = {"--model-repository",
                                     SourcePath("examples/model_repository"),
                                     "--model-control-mode",
                                     "explicit",
                                     "--load-model",
                                     "simple",
                                     "--allow-metrics",
                                     "false",
                                     mutual ? "--grpc-use-ssl-mutual" : "--grpc-use-ssl",
                                     "true",
                                     "--grpc-server-cert",
                                     pki_.Cert("server"),
                                     "--grpc-server-key",
                                     pki_.Key("server")};
    if (mutual) {
      args.push_back("--grpc-root-cert");
      args.push_back(pki_.Cert("ca"));
    }
    auto started = ServerProcess::Start(args);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }

  StatusOr<bool> Live(const std::string& ca, bool tls = true, bool client_cert = false) {
    client::ClientOptions options;
    options.url = "127.0.0.1:" + std::to_string(server_->grpc_port());
    options.tls.enabled = tls;
    options.tls.ca_file = ca;
    if (client_cert) {
      options.tls.cert_file = pki_.Cert("client");
      options.tls.key_file = pki_.Key("client");
    }
    options.retry.max_attempts = 1;
    options.connect_timeout = std::chrono::seconds(3);
    options.request_timeout = std::chrono::seconds(5);
    ASSIGN_OR_RETURN(auto c, client::CreateClient(client::Protocol::kGrpc, options));
    return c->IsServerLive();
  }

  TestPki pki_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TlsGrpcTest, ValidCaPassesWrongCaAndPlainTextFail) {
  StartServer(/*mutual=*/false);
  auto live = Live(pki_.Cert("ca"));
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_TRUE(*live);
  EXPECT_FALSE(Live(pki_.Cert("other_ca")).ok());
  EXPECT_FALSE(Live("", /*tls=*/false).ok());
  EXPECT_TRUE(Live(pki_.Cert("ca")).ok());  // the server is unharmed
  EXPECT_TRUE(
      absl::StrContains(PresentedSubject(server_->grpc_port(), pki_.Cert("ca")), "CN = localhost"));
}

TEST_F(TlsGrpcTest, MutualTlsRequiresAClientCertificate) {
  StartServer(/*mutual=*/true);
  EXPECT_FALSE(Live(pki_.Cert("ca")).ok());
  auto live = Live(pki_.Cert("ca"), true, /*client_cert=*/true);
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_TRUE(*live);
}

// gRPC reads the certificate through its file watcher on a private copy that SIGHUP refreshes
// (frontend/grpc/grpc_tls.h); a bad file leaves the copy, and so the certificate, as it was.
TEST_F(TlsGrpcTest, SighupRotatesTheCertificateAndKeepsItOnABadFile) {
  const auto cert = pki_.dir() / "served.crt";
  const auto key = pki_.dir() / "served.key";
  std::filesystem::copy_file(pki_.Cert("server"), cert);
  std::filesystem::copy_file(pki_.Key("server"), key);
  auto started = ServerProcess::Start(
      {"--model-repository", SourcePath("examples/model_repository"), "--model-control-mode",
       "explicit", "--allow-metrics", "false", "--grpc-use-ssl", "true", "--grpc-server-cert",
       cert.string(), "--grpc-server-key", key.string()});
  ASSERT_TRUE(started.ok()) << started.status();
  server_ = std::move(started).value();
  const int port = server_->grpc_port();
  EXPECT_TRUE(absl::StrContains(PresentedSubject(port, pki_.Cert("ca")), "CN = localhost"));
  std::filesystem::copy_file(pki_.Cert("server2"), cert,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(pki_.Key("server2"), key,
                             std::filesystem::copy_options::overwrite_existing);
  server_->Signal(SIGHUP);
  EXPECT_TRUE(AwaitPresentedSubject(port, pki_.Cert("ca"), "localhost-rotated"));
  std::filesystem::copy_file(pki_.Key("server"), cert,
                             std::filesystem::copy_options::overwrite_existing);
  server_->Signal(SIGHUP);
  auto live = Live(pki_.Cert("ca"));
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_TRUE(absl::StrContains(PresentedSubject(port, pki_.Cert("ca")), "localhost-rotated"));
  EXPECT_EQ(server_->WaitForExit(std::chrono::milliseconds(0)), -1);  // still running
}

TEST_F(TlsGrpcTest, ToolsWorkOverTls) {
  StartServer(/*mutual=*/true);
  const std::string url = "127.0.0.1:" + std::to_string(server_->grpc_port());
  const std::string tls = " --ssl-ca " + pki_.Cert("ca") + " --ssl-cert " + pki_.Cert("client") +
                          " --ssl-key " + pki_.Key("client");
  auto perf = RunShellCommand(InferdBinary() + " perf -i grpc -m simple -u " + url + tls +
                              " -p 300 -r 5 -s 50");
  EXPECT_EQ(perf.exit_code, 0) << perf.output;
  auto smoke = RunShellCommand(InferdBinary() + " smoke -i grpc -m simple -n 5 --sla-p95-ms 0 -u " +
                               url + tls);
  EXPECT_EQ(smoke.exit_code, 0) << smoke.output;
  auto no_cert = RunShellCommand(InferdBinary() + " smoke -i grpc -m simple -n 1 -u " + url +
                                 " --ssl-ca " + pki_.Cert("ca") + " --request-timeout 3000");
  EXPECT_NE(no_cert.exit_code, 0) << no_cert.output;
}

}  // namespace
}  // namespace inferd::testing
