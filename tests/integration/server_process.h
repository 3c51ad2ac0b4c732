// Starts the real `inferd serve` binary for an integration test on an ephemeral port and stops it
// (SIGTERM, then SIGKILL after a grace period) when destroyed. The bound ports are read from the
// server's "HTTP listening on <addr>:<port>" and "gRPC listening on <addr>:<port>" stdout lines,
// (and, unless metrics are disabled, "metrics listening on <addr>:<port>"), so no fixed port is
// ever used.
// Not thread-safe; one per test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace inferd::testing {

class ServerProcess {
 public:
  // `args` follow "inferd serve"; "--http-port 0", "--grpc-port 0" and "--metrics-port 0" (on
  // 127.0.0.1) are added, and "--shutdown-grace-secs 0" unless `args` set it. The gRPC line is
  // awaited unless `args` hold "--allow-grpc false", the metrics line unless they hold
  // "--allow-metrics false".
  static StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::vector<std::string>& args,
      std::chrono::milliseconds startup_timeout = std::chrono::seconds(60));
  // Runs exactly `argv` (argv[0] is the program path; nothing is added) and awaits the port
  // lines of the listeners it expects.
  static StatusOr<std::unique_ptr<ServerProcess>> StartCommand(
      std::vector<std::string> argv, bool expect_grpc, bool expect_metrics,
      std::chrono::milliseconds startup_timeout = std::chrono::seconds(60),
      bool expect_http = true);
  ~ServerProcess();

  int http_port() const { return http_port_; }        // 0 when HTTP is disabled
  int grpc_port() const { return grpc_port_; }        // 0 when gRPC is disabled
  int metrics_port() const { return metrics_port_; }  // 0 when metrics are disabled
  pid_t pid() const { return pid_; }  // for /proc readings (RSS, CPU time, open files)
  // Sends SIGTERM and waits; returns the exit code (or 128 + signal).
  int Stop();
  // Sends `signal` without waiting.
  void Signal(int signal);
  // Waits up to `timeout` for the process to exit; its exit code (or 128 + signal), or -1 when it
  // is still running.
  int WaitForExit(std::chrono::milliseconds timeout);

  // Use Start(); public only so that Start can make_unique it.
  ServerProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

 private:
  Status AwaitPort(std::chrono::milliseconds timeout, bool expect_http, bool expect_grpc,
                   bool expect_metrics);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int http_port_ = 0;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  int exit_code_ = -1;
};

// Paths of the build and source trees (set by CMake for test targets).
std::string InferdBinary();

// What a finished command printed (stdout and stderr together) and its exit code (128 when it did
// not exit normally).
struct CommandOutcome {
  int exit_code = -1;
  std::string output;
};

// Runs `command` through the shell, stderr joined to stdout; waits for it to finish.
CommandOutcome RunShellCommand(const std::string& command);
std::string SourcePath(const std::string& relative);

}  // namespace inferd::testing
