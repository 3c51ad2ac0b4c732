// Triton's --backend-config: `<backend>,<setting>=<value>` for one backend, or a global
// `<setting>=<value>`. inferd applies `default-max-batch-size` (global or for any backend: the
// batch size auto-complete gives a model that can batch and whose config sets none); every other
// setting is accepted and logged as a warning saying why it has no effect.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/registry/backend_registry.h"
#include "common/status.h"

namespace inferd::server {

struct BackendSetting {
  std::string backend;  // empty: global
  std::string key;
  std::string value;
  std::string text;  // as given, for messages
};

struct BackendConfig {
  std::vector<BackendSetting> settings;
  std::optional<int> default_max_batch_size;  // the last one given
};

// InvalidArgument naming the bad value (no '=', an empty setting, a bad number).
StatusOr<BackendConfig> ParseBackendConfigs(const std::vector<std::string>& args);

// One warning per setting inferd does not apply, saying whether its backend is unknown to
// `backends`, or the setting is unknown or known but not implemented.
std::vector<std::string> BackendConfigWarnings(const BackendConfig& config,
                                               const backend::BackendRegistry& backends);

}  // namespace inferd::server
