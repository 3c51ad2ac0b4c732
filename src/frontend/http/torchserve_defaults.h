// The default version of each model for the TorchServe dialect (PUT /models/{m}/{v}/set-default):
// which version POST /predictions/{m} and GET /models/{m} use when the request names none.
// Held by the front end in memory, as TorchServe holds it (lost on restart); a model without an
// entry uses the facade's choice, the highest ready version. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace inferd::frontend::http {

class TorchServeDefaults {
 public:
  // 0 when no default was set (the facade then picks the highest ready version).
  int64_t Get(std::string_view model) const {
    absl::MutexLock lock(&mu_);
    const auto it = defaults_.find(model);
    return it == defaults_.end() ? 0 : it->second;
  }
  void Set(std::string model, int64_t version) {
    absl::MutexLock lock(&mu_);
    defaults_[std::move(model)] = version;
  }
  // Forgets the model's default (`version` 0), or only if it is `version`.
  void Clear(std::string_view model, int64_t version = 0) {
    absl::MutexLock lock(&mu_);
    const auto it = defaults_.find(model);
    if (it != defaults_.end() && (version == 0 || it->second == version)) defaults_.erase(it);
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, int64_t, std::less<>> defaults_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::frontend::http
