// A cancellation flag shared between a front end (which sets it when the client goes away or its
// deadline passes) and the scheduler (which drops a cancelled request instead of executing it).
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>

namespace inferd::core {

class CancellationFlag {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_release); }
  bool IsCancelled() const { return cancelled_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> cancelled_{false};
};

using CancellationToken = std::shared_ptr<CancellationFlag>;

}  // namespace inferd::core
