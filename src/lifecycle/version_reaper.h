// VersionReaper: destroys retired model versions on its own thread.
//
// A version's last reference is often dropped by its last request, i.e. on one of that version's
// own scheduler workers (or an IO thread). Destroying it there would make a worker join itself and
// would stall an IO thread on session teardown. Handles made by Adopt() pass the version to the
// reaper instead, and report through a future when it is gone, so an unload can wait for its
// drain.
//
// Thread-safe. Shared ownership: every handle's deleter keeps the reaper alive. The destructor
// destroys the versions still queued, then joins.
#pragma once

#include <deque>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "lifecycle/model_version.h"

namespace inferd::lifecycle {

struct AdoptedVersion {
  std::shared_ptr<ModelVersion> handle;
  std::shared_future<void> destroyed;  // ready once the version's destructor has finished
};

class VersionReaper {
 public:
  VersionReaper();
  ~VersionReaper();
  VersionReaper(const VersionReaper&) = delete;
  VersionReaper& operator=(const VersionReaper&) = delete;

  static AdoptedVersion Adopt(const std::shared_ptr<VersionReaper>& reaper,
                              std::unique_ptr<ModelVersion> version);

 private:
  struct Retired {
    std::unique_ptr<ModelVersion> version;
    std::shared_ptr<std::promise<void>> destroyed;
  };
  void Post(Retired retired);
  void Run();

  absl::Mutex mu_;
  std::deque<Retired> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::jthread thread_;
};

}  // namespace inferd::lifecycle
