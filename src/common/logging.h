// Process-wide logging on spdlog. Thread-safe. Configure once at start-up (before threads start);
// use the spdlog macros / functions through the `inferd::log` helpers anywhere after.
#pragma once

#include <string>

#include "common/status.h"
#include "spdlog/spdlog.h"

namespace inferd::logging {

struct Options {
  int verbose = 0;   // 0 = info, >0 = debug
  std::string file;  // empty = stderr
};

// Installs the default logger. Returns an error if the log file cannot be opened.
Status Configure(const Options& options);

}  // namespace inferd::logging
