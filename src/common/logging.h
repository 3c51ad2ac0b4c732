// Process-wide logging on spdlog. Thread-safe. Configure once at start-up (before threads start);
// log anywhere after through spdlog, or through logging::Log for lines with structured fields.
//
// Formats: "text" (one human line: time, level, thread, message, then key=value fields) and
// "json" (one JSON object per line: time, level, thread, message and every field as a string
// member). Triton's logging extension (GET/POST /v2/logging) reads and changes the settings at
// run time through GetSettings/UpdateSettings; a changed setting applies to the next line.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "spdlog/spdlog.h"

namespace inferd::logging {

struct Options {
  int verbose = 0;   // 0 = info, >0 = debug and logging::Verbose(n) lines with n <= verbose
  std::string file;  // empty = stderr
  std::string format = "text";  // text | json
};

// Installs the default logger. Returns an error if the log file cannot be opened or the format
// is unknown.
Status Configure(const Options& options);

// Triton's logging settings. The log file cannot be changed at run time.
struct Settings {
  std::string log_file;
  bool log_info = true;
  bool log_warning = true;
  bool log_error = true;
  int log_verbose_level = 0;
  std::string log_format = "text";
};
Settings GetSettings();
// Applies every setting; InvalidArgument (and nothing changed) for a negative verbose level,
// an unknown format or a different log file.
Status UpdateSettings(const Settings& settings);

// True when lines of verbosity `level` (>= 1) are logged.
bool VerboseEnabled(int level);

// Control characters (C0, DEL) in `text`, and `text` with each escaped: \n \r \t, others \xNN.
// Every text-format line goes through EscapeControl, so no logged value can forge a line.
bool HasControl(std::string_view text);
std::string EscapeControl(std::string_view text);

using Field = std::pair<std::string_view, std::string_view>;
// Logs `message` with structured fields ("request_id", "model", ...): JSON members in json
// format, " key=value" suffixes in text format.
void Log(spdlog::level::level_enum level, std::string_view message,
         std::initializer_list<Field> fields);

}  // namespace inferd::logging
