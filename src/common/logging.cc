#include "common/logging.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "absl/base/const_init.h"
#include "absl/synchronization/mutex.h"
#include "spdlog/details/os.h"
#include "spdlog/formatter.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/basic_file_sink.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace inferd::logging {
namespace {

constexpr char kTextPattern[] = "%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ [%t] %v";

ABSL_CONST_INIT absl::Mutex settings_mu(absl::kConstInit);
Settings& CurrentSettings() ABSL_EXCLUSIVE_LOCKS_REQUIRED(settings_mu) {
  static Settings settings;
  return settings;
}
std::atomic<int> verbose_level{0};
std::atomic<bool> json_format{false};

// The JSON members of the fields of the line being logged on this thread (set by Log): spdlog's
// synchronous loggers format on the calling thread.
thread_local std::string tls_fields;

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// One JSON object per line: {"time":...,"level":...,"thread":...,"message":...,<fields>}.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = "{\"time\":\"";
    const auto t = std::chrono::system_clock::to_time_t(msg.time);
    const auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()) %
        1000000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    line += buf;
    std::snprintf(buf, sizeof buf, ".%06lldZ\",\"level\":", static_cast<long long>(us.count()));
    line += buf;
    const auto level = spdlog::level::to_string_view(msg.level);
    AppendJsonString(line, std::string_view(level.data(), level.size()));
    line += ",\"thread\":" + std::to_string(msg.thread_id) + ",\"message\":";
    AppendJsonString(line, std::string_view(msg.payload.data(), msg.payload.size()));
    line += tls_fields;
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// The text format: Triton-like lines from spdlog's pattern, with every control character of the
// message escaped first. This is the one place text lines are written, so a model name, request
// id or error text carrying '\n', '\r' or an ANSI escape can never forge or recolour a line,
// whoever logged it.
class TextFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (!HasControl(payload)) return pattern_.format(msg, dest);
    const std::string escaped = EscapeControl(payload);
    spdlog::details::log_msg safe = msg;
    safe.payload = spdlog::string_view_t(escaped.data(), escaped.size());
    pattern_.format(safe, dest);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }

 private:
  spdlog::pattern_formatter pattern_{kTextPattern, spdlog::pattern_time_type::utc};
};

spdlog::level::level_enum LevelOf(const Settings& s) {
  if (s.log_verbose_level > 0) return spdlog::level::debug;
  if (s.log_info) return spdlog::level::info;
  if (s.log_warning) return spdlog::level::warn;
  if (s.log_error) return spdlog::level::err;
  return spdlog::level::off;
}

void Apply(const Settings& s) {
  verbose_level.store(s.log_verbose_level, std::memory_order_relaxed);
  json_format.store(s.log_format == "json", std::memory_order_relaxed);
  auto logger = spdlog::default_logger();
  if (s.log_format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_formatter(std::make_unique<TextFormatter>());
  }
  logger->set_level(LevelOf(s));
}

}  // namespace

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", byte);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Status Configure(const Options& options) {
  if (options.format != "text" && options.format != "json") {
    return absl::InvalidArgumentError("log format must be 'text' or 'json', not '" +
                                      options.format + "'");
  }
  std::shared_ptr<spdlog::logger> logger;
  try {
    spdlog::drop("inferd");
    if (options.file.empty()) {
      logger = spdlog::stderr_logger_mt("inferd");
    } else {
      logger = spdlog::basic_logger_mt("inferd", options.file);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return absl::InvalidArgumentError(std::string("cannot open log: ") + e.what());
  }
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  absl::MutexLock lock(&settings_mu);
  Settings& s = CurrentSettings();
  s = Settings{};
  s.log_file = options.file;
  s.log_verbose_level = options.verbose;
  s.log_format = options.format;
  Apply(s);
  return absl::OkStatus();
}

Settings GetSettings() {
  absl::MutexLock lock(&settings_mu);
  return CurrentSettings();
}

Status UpdateSettings(const Settings& settings) {
  if (settings.log_verbose_level < 0) {
    return absl::InvalidArgumentError("log_verbose_level must be >= 0");
  }
  if (settings.log_format != "text" && settings.log_format != "json") {
    return absl::InvalidArgumentError("log_format must be 'text' or 'json'");
  }
  absl::MutexLock lock(&settings_mu);
  if (settings.log_file != CurrentSettings().log_file) {
    return absl::InvalidArgumentError("log_file cannot be changed while the server runs");
  }
  CurrentSettings() = settings;
  Apply(settings);
  return absl::OkStatus();
}

bool VerboseEnabled(int level) { return verbose_level.load(std::memory_order_relaxed) >= level; }

void Log(spdlog::level::level_enum level, std::string_view message,
         std::initializer_list<Field> fields) {
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  if (json_format.load(std::memory_order_relaxed)) {
    tls_fields.clear();
    for (const auto& [key, value] : fields) {
      tls_fields.push_back(',');
      AppendJsonString(tls_fields, key);
      tls_fields.push_back(':');
      AppendJsonString(tls_fields, value);
    }
    logger->log(level, std::string_view(message));
    tls_fields.clear();
    return;
  }
  std::string line(message);
  for (const auto& [key, value] : fields) {
    line.push_back(' ');
    line.append(key);
    line.push_back('=');
    if (value.find_first_of(" \"=") == std::string_view::npos && !value.empty() &&
        !HasControl(value)) {
      line.append(value);
    } else {
      AppendJsonString(line, value);  // quoted, so the line still splits on spaces
    }
  }
  logger->log(level, std::string_view(line));
}

}  // namespace inferd::logging
