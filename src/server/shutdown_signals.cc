#include "server/shutdown_signals.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>

namespace inferd::server {

// SIGUSR1 only wakes the watcher when the shutdown completes normally.
ShutdownSignals::ShutdownSignals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

ShutdownSignals::~ShutdownSignals() {
  if (!watcher_.joinable()) return;
  pthread_kill(watcher_.native_handle(), SIGUSR1);
  watcher_.join();
}

int ShutdownSignals::Wait() {
  int signal = 0;
  do {
    sigwait(&set_, &signal);
  } while (signal == SIGUSR1);
  return signal;
}

void ShutdownSignals::ExitOnNextSignal() {
  watcher_ = std::thread([set = set_] {
    int signal = 0;
    sigwait(&set, &signal);
    if (signal == SIGUSR1) return;
    static constexpr char kMessage[] = "inferd: second signal, exiting now\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    _exit(128 + signal);
  });
}

}  // namespace inferd::server
