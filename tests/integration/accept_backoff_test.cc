// Out of file descriptors, the listeners back off instead of spinning: the server is started
// normally, its descriptor limit is then lowered (prlimit) to just above what it has open, and
// connections are opened until its accepts fail with EMFILE. Its CPU time must stay low, each
// listener logs one line (rate-limited), and once the connections close it serves again.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server_process.h"
#include "socket_util.h"
#include "testing/proc_stats.h"

namespace inferd::testing {
namespace {

// The status line of a GET on a fresh connection ("" if none came within the timeouts).
std::string GetStatusLine(int port, const std::string& target) {
  const int fd = ConnectLoopback(port, 5);
  if (fd < 0) return "";
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string reply;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
      static_cast<ssize_t>(request.size())) {
    char buffer[256];
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n > 0) reply.assign(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return reply.substr(0, reply.find("\r\n"));
}

int CountLines(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::string line;
  int count = 0;
  while (std::getline(in, line)) count += line.find(needle) != std::string::npos;
  return count;
}

TEST(AcceptBackoffTest, OutOfDescriptorsBacksOffLogsOnceAndRecovers) {
  const std::string log = (std::filesystem::temp_directory_path() /
                           ("inferd_emfile_" + std::to_string(getpid()) + ".log"))
                              .string();
  std::filesystem::remove(log);
  auto started =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository"),
                            "--allow-grpc", "false", "--log-file", log});
  ASSERT_TRUE(started.ok()) << started.status();
  auto server = std::move(started).value();
  const pid_t pid = server->pid();
  ASSERT_EQ(GetStatusLine(server->http_port(), "/v2/health/live"), "HTTP/1.1 200 OK");

  // Room for a few more descriptors only.
  rlimit limit{};
  ASSERT_EQ(prlimit(pid, RLIMIT_NOFILE, nullptr, &limit), 0);
  const rlimit lowered{static_cast<rlim_t>(OpenFileCount(pid) + 4), limit.rlim_max};
  ASSERT_EQ(prlimit(pid, RLIMIT_NOFILE, &lowered, nullptr), 0);

  // Connections until each listener's accept fails (connect still succeeds: the kernel queues
  // the connection). The limit caps descriptor numbers, so the exact room is not known: keep
  // connecting until the failure is logged.
  std::vector<int> clients;
  const std::string http_line = "HTTP listener: accept failed";
  const std::string metrics_line = "metrics listener: accept failed";
  for (const auto& [port, line_binding] : {std::pair{server->http_port(), http_line},
                                           std::pair{server->metrics_port(), metrics_line}}) {
    const std::string& line = line_binding;  // clang 14 cannot capture a structured binding
    bool logged = false;
    for (int i = 0; i < 64 && !logged; ++i) {
      clients.push_back(ConnectLoopback(port, 5));
      ASSERT_GE(clients.back(), 0);
      logged =
          AwaitCondition([&] { return CountLines(log, line) > 0; }, std::chrono::milliseconds(300));
    }
    ASSERT_TRUE(logged) << "no accept failure was logged: " << line;
  }

  // Still out of descriptors: the accept loops must be waiting, not spinning.
  const double cpu_before = CpuSeconds(pid);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double cpu_used = CpuSeconds(pid) - cpu_before;
  std::printf("out of descriptors: server CPU %.3f s over 1 s\n", cpu_used);
  EXPECT_LT(cpu_used, 0.1);                  // spinning measured 0.4 s here
  EXPECT_EQ(CountLines(log, http_line), 1);  // rate-limited: one line per 10 s
  EXPECT_EQ(CountLines(log, metrics_line), 1);

  for (int fd : clients) close(fd);
  EXPECT_TRUE(AwaitCondition(
      [&] { return GetStatusLine(server->http_port(), "/v2/health/live") == "HTTP/1.1 200 OK"; },
      std::chrono::seconds(10)))
      << "HTTP did not recover";
  EXPECT_TRUE(AwaitCondition(
      [&] { return GetStatusLine(server->metrics_port(), "/metrics") == "HTTP/1.1 200 OK"; },
      std::chrono::seconds(10)))
      << "metrics did not recover";
  ASSERT_EQ(prlimit(pid, RLIMIT_NOFILE, &limit, nullptr), 0);
  EXPECT_EQ(server->Stop(), 0);
  std::filesystem::remove(log);
}

}  // namespace
}  // namespace inferd::testing
