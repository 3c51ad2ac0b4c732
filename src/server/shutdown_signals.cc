#include "server/shutdown_signals.h"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>

namespace inferd::server {

// SIGUSR1 wakes the watcher when the shutdown completes normally, and the main thread when the
// start-up loads are done (WaitOrWake).
ShutdownSignals::ShutdownSignals() : owner_(pthread_self()) {
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

int ShutdownSignals::WaitOrWake() {
  int signal = 0;
  sigwait(&set_, &signal);
  return signal == SIGUSR1 ? 0 : signal;
}

// A signal directed at the owning thread stays pending until its sigwait takes it: no lost wake.
void ShutdownSignals::Wake() { pthread_kill(owner_, SIGUSR1); }

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
