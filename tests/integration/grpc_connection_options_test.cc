// gRPC keep-alive and connection-age flags (Triton's names) reach the server: it starts with all
// of them set, a client is served across several connection ages (the server's GOAWAY at max age
// makes the client reconnect, never fail), and an out-of-range value is refused at start.
#include <chrono>
#include <string>
#include <thread>

#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

class GrpcConnectionOptionsTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository",
                 SourcePath("tests/testdata/model_repository"),
                 "--allow-metrics",
                 "false",
                 "--grpc-keepalive-time",
                 "1000",
                 "--grpc-keepalive-timeout",
                 "500",
                 "--grpc-keepalive-permit-without-calls",
                 "true",
                 "--grpc-http2-max-pings-without-data",
                 "0",
                 "--grpc-http2-min-recv-ping-interval-without-data",
                 "100",
                 "--grpc-http2-max-ping-strikes",
                 "5",
                 "--grpc-max-connection-age",
                 "300",
                 "--grpc-max-connection-age-grace",
                 "200"});
  }
};

TEST_F(GrpcConnectionOptionsTest, ClientIsServedAcrossConnectionAges) {
  ASSERT_NE(stub_, nullptr);
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
  int calls = 0;
  while (std::chrono::steady_clock::now() < end) {
    ::grpc::ClientContext context;
    Bound(context, std::chrono::seconds(5));
    context.set_wait_for_ready(true);  // a call racing a GOAWAY waits for the new connection
    ::inference::ServerLiveRequest request;
    ::inference::ServerLiveResponse response;
    const ::grpc::Status status = stub_->ServerLive(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.live());
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // pacing, not synchronisation
  }
  EXPECT_GT(calls, 5);
}

TEST(GrpcConnectionOptionsStartTest, OutOfRangeValueIsRefused) {
  auto started =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository"),
                            "--allow-metrics", "false", "--grpc-keepalive-time", "0"},
                           std::chrono::seconds(20));
  EXPECT_FALSE(started.ok());
}

}  // namespace
}  // namespace inferd::testing
