// RepositoryPoller: model control mode "poll". Every `interval` it asks the ModelManager to
// rescan the repository and apply what changed (reload, load, unload). A poll in progress
// finishes before the next one starts, so a slow load delays polling but never overlaps it.
//
// Owns one thread; Stop() (or the destructor) wakes it and joins. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "lifecycle/model_manager.h"

namespace inferd::lifecycle {

class RepositoryPoller {
 public:
  RepositoryPoller(ModelManager& manager, std::chrono::milliseconds interval);
  ~RepositoryPoller() { Stop(); }
  RepositoryPoller(const RepositoryPoller&) = delete;
  RepositoryPoller& operator=(const RepositoryPoller&) = delete;

  void Stop();

 private:
  void Run();

  ModelManager& manager_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::jthread thread_;
};

}  // namespace inferd::lifecycle
