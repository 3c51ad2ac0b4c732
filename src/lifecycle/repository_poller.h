// RepositoryPoller: model control mode "poll". Every `interval` it asks the ModelManager to
// rescan the repository and apply what changed (reload, load, unload). A poll in progress
// finishes before the next one starts, so a slow load delays polling but never overlaps it.
//
// Owns one thread; Stop() (or the destructor) wakes it and joins. Thread-safe.
#pragma once

#include <chrono>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
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
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::jthread thread_;
};

}  // namespace inferd::lifecycle
