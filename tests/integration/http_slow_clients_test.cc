// Slow clients and connection limits against the real binary: connections that never finish
// their request head do not delay others and are closed after --http-header-timeout-secs; an
// idle keep-alive connection closes after --http-idle-timeout-secs; a stalled body after
// --http-body-timeout-secs; beyond --http-max-connections new connections are refused fast while
// open ones keep working. Closing is awaited (EOF on the client, the server's descriptor count),
// never slept for.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server_process.h"
#include "socket_util.h"
#include "testing/proc_stats.h"

namespace inferd::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool SendAll(int fd, const std::string& data) {
  return send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

// Reads one response to a GET of /v2/health/live (no body): its status line, "" on EOF, error or
// the receive timeout.
// The response head (up to the blank line), or "" when the connection ends first.
std::string ReadHead(int fd) {
  std::string reply;
  char buffer[512];
  while (reply.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return "";
    reply.append(buffer, static_cast<size_t>(n));
  }
  return reply;
}

std::string ReadStatusLine(int fd) {
  const std::string head = ReadHead(fd);
  return head.substr(0, head.find("\r\n"));
}

// True once the server closed `fd` (EOF or reset) before `deadline`; false on data or when the
// deadline passes first. A shared deadline keeps a loop over many sockets bounded in total.
bool ReadsEofBy(int fd, Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  pollfd entry{fd, POLLIN, 0};
  if (poll(&entry, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) != 1) return false;
  char byte;
  const ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

bool ReadsEof(int fd) { return ReadsEofBy(fd, Clock::now() + std::chrono::seconds(10)); }

const std::string kLive = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string kPartialHead = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n";

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "--model-repository", SourcePath("tests/testdata/model_repository"),
      "--allow-grpc",       "false",
      "--allow-metrics",    "false"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto started = ServerProcess::Start(args);
  EXPECT_TRUE(started.ok()) << started.status();
  return started.ok() ? std::move(started).value() : nullptr;
}

// Opens `count` connections that each send a partial request head and nothing more.
std::vector<int> OpenSlowConnections(int port, int count) {
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    const int fd = ConnectLoopback(port, 10);
    if (fd < 0 || !SendAll(fd, kPartialHead)) break;
    fds.push_back(fd);
  }
  return fds;
}

// Seconds for one GET on a fresh connection, with its status line.
std::pair<double, std::string> TimedGet(int port) {
  const auto start = Clock::now();
  const int fd = ConnectLoopback(port, 10);
  std::string status;
  if (fd >= 0 && SendAll(fd, kLive)) status = ReadStatusLine(fd);
  if (fd >= 0) close(fd);
  return {std::chrono::duration<double>(Clock::now() - start).count(), status};
}

TEST(HttpSlowClientsTest, SlowHeadsDoNotDelayANormalRequest) {
  auto server = StartServer({});
  ASSERT_NE(server, nullptr);
  const int base_fds = OpenFileCount(server->pid());
  std::vector<int> slow = OpenSlowConnections(server->http_port(), 300);
  ASSERT_EQ(slow.size(), 300u);
  // Every slow connection is accepted and held by the server.
  ASSERT_TRUE(AwaitCondition([&] { return OpenFileCount(server->pid()) >= base_fds + 300; },
                             std::chrono::seconds(10)));
  const auto [seconds, status] = TimedGet(server->http_port());
  std::printf("normal request with 300 slow connections open: %.2f ms\n", seconds * 1000);
  EXPECT_EQ(status, "HTTP/1.1 200 OK");
  EXPECT_LT(seconds, 1.0);
  for (int fd : slow) close(fd);
  EXPECT_EQ(server->Stop(), 0);
}

TEST(HttpSlowClientsTest, IncompleteHeadsAreClosedAfterTheHeaderTimeout) {
  auto server = StartServer({"--http-header-timeout-secs", "1"});
  ASSERT_NE(server, nullptr);
  const int base_fds = OpenFileCount(server->pid());
  const auto start = Clock::now();
  std::vector<int> slow = OpenSlowConnections(server->http_port(), 300);
  ASSERT_EQ(slow.size(), 300u);
  const auto deadline = start + std::chrono::seconds(10);
  int closed = 0;
  for (int fd : slow) closed += ReadsEofBy(fd, deadline);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("300 slow connections closed by the server after %.2f s\n", seconds);
  EXPECT_EQ(closed, 300);
  EXPECT_GE(seconds, 0.9);  // not before the timeout
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE(AwaitCondition([&] { return OpenFileCount(server->pid()) <= base_fds; },
                             std::chrono::seconds(5)))
      << "the server still holds " << OpenFileCount(server->pid()) - base_fds << " descriptors";
  for (int fd : slow) close(fd);
  EXPECT_EQ(TimedGet(server->http_port()).second, "HTTP/1.1 200 OK");
  EXPECT_EQ(server->Stop(), 0);
}

TEST(HttpSlowClientsTest, IdleKeepAliveConnectionClosesAfterTheIdleTimeout) {
  auto server = StartServer({"--http-idle-timeout-secs", "1", "--http-header-timeout-secs", "5"});
  ASSERT_NE(server, nullptr);
  const int fd = ConnectLoopback(server->http_port(), 10);
  ASSERT_GE(fd, 0);
  // Keep-alive requests within the timeout are served on the same connection.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(SendAll(fd, kLive));
    ASSERT_EQ(ReadStatusLine(fd), "HTTP/1.1 200 OK");
  }
  const auto idle_since = Clock::now();
  EXPECT_TRUE(ReadsEof(fd));
  const double seconds = std::chrono::duration<double>(Clock::now() - idle_since).count();
  std::printf("idle keep-alive connection closed after %.2f s\n", seconds);
  EXPECT_GE(seconds, 0.9);
  EXPECT_LT(seconds, 4.0);  // well before the 5 s header timeout
  close(fd);
  EXPECT_EQ(server->Stop(), 0);
}

TEST(HttpSlowClientsTest, StalledBodyIsClosedAfterTheBodyTimeout) {
  auto server = StartServer({"--http-body-timeout-secs", "1"});
  ASSERT_NE(server, nullptr);
  const int fd = ConnectLoopback(server->http_port(), 10);
  ASSERT_GE(fd, 0);
  const auto start = Clock::now();
  ASSERT_TRUE(SendAll(fd,
                      "POST /v2/models/simple_copy/infer HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"inputs\""));
  EXPECT_TRUE(ReadsEof(fd));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GE(seconds, 0.9);
  EXPECT_LT(seconds, 5.0);
  close(fd);
  EXPECT_EQ(server->Stop(), 0);
}

// The timeouts wait only for the client: a request whose response is pending longer than all of
// them (a batch held 2.5 s for a preferred size that never comes) is still answered.
TEST(HttpSlowClientsTest, PendingResponseOutlivesEveryTimeout) {
  namespace fs = std::filesystem;
  const fs::path root =
      fs::temp_directory_path() / ("inferd_slow_test_" + std::to_string(std::random_device{}()));
  fs::create_directories(root / "held" / "1");
  fs::copy_file(SourcePath("examples/model_repository/simple/1/model.onnx"),
                root / "held" / "1" / "model.onnx");
  std::ofstream(root / "held" / "config.pbtxt") << R"(name: "held" backend: "onnxruntime"
max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
        { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
         { name: "OUTPUT1" data_type: TYPE_INT32 dims: [ 16 ] } ]
dynamic_batching { max_queue_delay_microseconds: 2500000 preferred_batch_size: [ 8 ] }
)";
  auto started =
      ServerProcess::Start({"--model-repository", root.string(), "--allow-grpc", "false",
                            "--allow-metrics", "false", "--http-header-timeout-secs", "1",
                            "--http-idle-timeout-secs", "1", "--http-body-timeout-secs", "1"});
  ASSERT_TRUE(started.ok()) << started.status();
  auto server = std::move(started).value();
  std::string data;
  for (int i = 0; i < 16; ++i) data += (i ? "," : "") + std::to_string(i);
  const std::string body =
      R"({"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32",)"
      R"("data":[)" +
      data + R"(]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[)" + data + "]}]}";
  const int fd = ConnectLoopback(server->http_port(), 10);
  ASSERT_GE(fd, 0);
  const auto start = Clock::now();
  ASSERT_TRUE(SendAll(fd,
                      "POST /v2/models/held/infer HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body));
  EXPECT_EQ(ReadStatusLine(fd), "HTTP/1.1 200 OK");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("held request answered after %.2f s\n", seconds);
  EXPECT_GE(seconds, 2.0);  // it really was pending longer than the timeouts
  close(fd);
  EXPECT_EQ(server->Stop(), 0);
  fs::remove_all(root);
}

TEST(HttpSlowClientsTest, ConnectionsBeyondTheLimitAreRefusedFastOthersKeepWorking) {
  constexpr int kLimit = 5;
  auto server = StartServer({"--http-max-connections", std::to_string(kLimit)});
  ASSERT_NE(server, nullptr);
  std::vector<int> open;
  for (int i = 0; i < kLimit; ++i) {
    open.push_back(ConnectLoopback(server->http_port(), 10));
    ASSERT_GE(open.back(), 0);
    ASSERT_TRUE(SendAll(open.back(), kLive));
    ASSERT_EQ(ReadStatusLine(open.back()), "HTTP/1.1 200 OK");  // accepted and counted
  }
  // The next one is refused at once: a 503, or at least a closed connection, never a 200.
  const auto start = Clock::now();
  const int extra = ConnectLoopback(server->http_port(), 10);
  ASSERT_GE(extra, 0);
  SendAll(extra, kLive);
  const std::string head = ReadHead(extra);
  const std::string status = head.substr(0, head.find("\r\n"));
  const bool closed = ReadsEof(extra);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("connection over the limit: \"%s\" after %.2f ms\n", status.c_str(), seconds * 1000);
  EXPECT_TRUE(status == "HTTP/1.1 503 Service Unavailable" || status.empty()) << status;
  // Like every "not now" answer, the refusal says when to retry (clients back off on it).
  if (!status.empty()) {
    EXPECT_NE(head.find("\r\nRetry-After: 1\r\n"), std::string::npos) << head;
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(seconds, 1.0);
  close(extra);
  // The open ones are still served.
  for (int fd : open) {
    ASSERT_TRUE(SendAll(fd, kLive));
    EXPECT_EQ(ReadStatusLine(fd), "HTTP/1.1 200 OK");
  }
  // Once one closes, a new connection gets in.
  close(open.back());
  open.pop_back();
  EXPECT_TRUE(
      AwaitCondition([&] { return TimedGet(server->http_port()).second == "HTTP/1.1 200 OK"; },
                     std::chrono::seconds(5)));
  for (int fd : open) close(fd);
  EXPECT_EQ(server->Stop(), 0);
}

}  // namespace
}  // namespace inferd::testing
