#include "server_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <regex>

#include "absl/strings/str_cat.h"

namespace inferd::testing {
namespace {

// Waits for the child's exit on a pidfd (readable when it exits), bounded by `timeout`.
int WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd pfd{pidfd, POLLIN, 0};
    poll(&pfd, 1, static_cast<int>(timeout.count()));
    close(pidfd);
  }
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string InferdBinary() { return std::string(INFERD_BINARY_DIR) + "/src/server/inferd"; }
std::string SourcePath(const std::string& relative) {
  return std::string(INFERD_SOURCE_DIR) + "/" + relative;
}

StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::vector<std::string>& args, std::chrono::milliseconds startup_timeout) {
  std::vector<std::string> argv_storage = {InferdBinary(),   "serve",     "--http-port", "0",
                                           "--http-address", "127.0.0.1", "--grpc-port", "0",
                                           "--grpc-address", "127.0.0.1"};
  bool expect_grpc = true;
  bool expect_metrics = true;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--allow-grpc" && args[i + 1] == "false") expect_grpc = false;
    if (args[i] == "--allow-metrics" && args[i + 1] == "false") expect_metrics = false;
  }
  if (expect_metrics) {
    for (const char* a : {"--metrics-port", "0", "--metrics-address", "127.0.0.1"}) {
      argv_storage.emplace_back(a);
    }
  }
  // Tests stop servers with SIGTERM: skip the load-balancer grace period unless a test sets it.
  if (std::find(args.begin(), args.end(), "--shutdown-grace-secs") == args.end()) {
    argv_storage.insert(argv_storage.end(), {"--shutdown-grace-secs", "0"});
  }
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  return StartCommand(argv_storage, expect_grpc, expect_metrics, startup_timeout);
}

StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::StartCommand(
    std::vector<std::string> argv_storage, bool expect_grpc, bool expect_metrics,
    std::chrono::milliseconds startup_timeout, bool expect_http) {
  int fds[2];
  if (pipe(fds) != 0) return absl::InternalError("pipe failed");
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  auto process = std::make_unique<ServerProcess>(pid, fds[0]);
  RETURN_IF_ERROR(process->AwaitPort(startup_timeout, expect_http, expect_grpc, expect_metrics));
  return process;
}

Status ServerProcess::AwaitPort(std::chrono::milliseconds timeout, bool expect_http,
                                bool expect_grpc, bool expect_metrics) {
  const std::regex listening("HTTP listening on [^\\s]*:([0-9]+)");
  const std::regex grpc_listening("gRPC listening on [^\\s]*:([0-9]+)");
  const std::regex metrics_listening("metrics listening on [^\\s]*:([0-9]+)");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string output;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&pfd, 1, static_cast<int>(std::max<int64_t>(left.count(), 1))) <= 0) continue;
    char buffer[4096];
    ssize_t n = read(stdout_fd_, buffer, sizeof(buffer));
    if (n <= 0) break;  // the server exited before listening
    output.append(buffer, static_cast<size_t>(n));
    std::smatch match;
    if (expect_http && http_port_ == 0 && std::regex_search(output, match, listening)) {
      http_port_ = std::stoi(match[1]);
    }
    if (expect_grpc && grpc_port_ == 0 && std::regex_search(output, match, grpc_listening)) {
      grpc_port_ = std::stoi(match[1]);
    }
    if (expect_metrics && metrics_port_ == 0 &&
        std::regex_search(output, match, metrics_listening)) {
      metrics_port_ = std::stoi(match[1]);
    }
    if ((!expect_http || http_port_ != 0) && (!expect_grpc || grpc_port_ != 0) &&
        (!expect_metrics || metrics_port_ != 0)) {
      return absl::OkStatus();
    }
  }
  return absl::UnavailableError(absl::StrCat("inferd did not report its port; output: ", output));
}

int ServerProcess::Stop() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    exit_code_ = WaitExit(pid_, std::chrono::seconds(30));
    if (exit_code_ < 0) {
      kill(pid_, SIGKILL);
      exit_code_ = WaitExit(pid_, std::chrono::seconds(10));
    }
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return exit_code_;
}

void ServerProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int ServerProcess::WaitForExit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return exit_code_;
  const int code = WaitExit(pid_, timeout);
  if (code >= 0) {
    exit_code_ = code;
    pid_ = -1;
  }
  return code;
}

ServerProcess::~ServerProcess() { Stop(); }

CommandOutcome RunShellCommand(const std::string& command) {
  CommandOutcome run;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return run;
}

}  // namespace inferd::testing
