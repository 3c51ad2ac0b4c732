// gRPC keep-alive and connection-age flags (Triton's names) reach the server: it starts with all
// of them set, a client is served across several connection ages (the server's GOAWAY at max age
// makes the client reconnect, never fail), and an out-of-range value is refused at start.
#include <chrono>
#include <cstdio>
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

// The age and its grace reach gRPC: a stream left open is ended by the server (UNAVAILABLE) soon
// after 300 + 200 ms, not by the client's own 10 s deadline.
TEST_F(GrpcConnectionOptionsTest, StreamOutlivingMaxAgeAndGraceIsClosedByTheServer) {
  ASSERT_NE(stub_, nullptr);
  ::grpc::ClientContext context;
  Bound(context, std::chrono::seconds(10));
  context.set_wait_for_ready(true);
  const auto start = std::chrono::steady_clock::now();
  auto stream = stub_->ModelStreamInfer(&context);
  ::inference::ModelStreamInferResponse response;
  EXPECT_FALSE(stream->Read(&response));  // no request sent: only the server can end it
  const ::grpc::Status status = stream->Finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("stream ended after %.2f s: %s\n", seconds, status.error_message().c_str());
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(seconds, 5.0);
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
