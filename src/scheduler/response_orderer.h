// Delivers responses in the order their slots were reserved (preserve_ordering): a batch that
// finishes early on one instance waits for earlier batches still running on others. Slots are
// reserved when batches are formed; each reserved slot must be completed exactly once.
//
// Thread-safe. Callbacks run without the orderer's lock, one at a time and in slot order, on the
// thread of whichever completion made them deliverable.
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"
#include "core/inference_response.h"
#include "core/response_sink.h"

namespace inferd::scheduler {

class ResponseOrderer {
 public:
  // Reserves `n` consecutive slots; returns the first.
  uint64_t Reserve(size_t n) {
    absl::MutexLock lock(&mu_);
    const uint64_t first = next_reserved_;
    next_reserved_ += n;
    return first;
  }

  void Complete(uint64_t slot, core::ResponseCallback done,
                StatusOr<core::InferenceResponse> result) {
    absl::MutexLock lock(&mu_);
    ready_.emplace(slot, Ready{std::move(done), std::move(result)});
    // Another thread is delivering: it will find this slot when its turn comes.
    if (delivering_) return;
    delivering_ = true;
    while (!ready_.empty() && ready_.begin()->first == next_delivered_) {
      Ready next = std::move(ready_.begin()->second);
      ready_.erase(ready_.begin());
      ++next_delivered_;
      mu_.Unlock();
      std::move(next.done)(std::move(next.result));
      mu_.Lock();
    }
    delivering_ = false;
  }

 private:
  struct Ready {
    core::ResponseCallback done;
    StatusOr<core::InferenceResponse> result;
  };
  absl::Mutex mu_;
  uint64_t next_reserved_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_delivered_ ABSL_GUARDED_BY(mu_) = 0;
  bool delivering_ ABSL_GUARDED_BY(mu_) = false;
  std::map<uint64_t, Ready> ready_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::scheduler
