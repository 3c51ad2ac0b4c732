// Shutdown signals of `inferd serve`: SIGTERM and SIGINT are blocked in every thread (so no
// thread is interrupted mid-call) and taken synchronously by the main thread. After the first
// one starts the graceful shutdown, a second one ends the process at once.
//
// Construct before any other thread starts (the mask is inherited). Owned by the main thread.
#pragma once

#include <pthread.h>

#include <csignal>
#include <thread>

namespace inferd::server {

class ShutdownSignals {
 public:
  ShutdownSignals();
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Blocks until SIGTERM or SIGINT; returns it.
  int Wait();
  // As Wait, but also returns 0 once Wake() is called (before or during the wait). Only on the
  // thread that constructed this.
  int WaitOrWake();
  // Ends a WaitOrWake of the constructing thread; any thread may call it.
  void Wake();
  // From now on, another SIGTERM/SIGINT exits the process immediately (code 128 + signal).
  void ExitOnNextSignal();

 private:
  sigset_t set_;
  pthread_t owner_;
  std::thread watcher_;
};

}  // namespace inferd::server
