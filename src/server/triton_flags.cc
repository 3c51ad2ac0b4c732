#include "server/triton_flags.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"

namespace inferd::server {
namespace {

enum class Value { kNone, kBool, kInt, kFloat, kString };

// What the rewrite does with one Triton flag.
enum class Action {
  kSame,               // inferd has an option of the same name and meaning
  kRename,             // inferd's option of another name (`target`)
  kControlMode,        // any case, as Triton reads it
  kLogFormat,          // Triton's default|ISO8601 -> inferd's text
  kLogVerbose,         // an integer, or true/false as Triton reads it
  kStrictModelConfig,  // true = --disable-auto-complete-config
  kBackendConfig,      // kept (inferd's --backend-config); warned about at start-up if unused
  kNoEffect,           // accepted and validated; nothing in inferd to change
  kIgnored,            // not implemented: dropped with a warning
  kHelp,
};

struct TritonFlag {
  std::string_view name;
  Value value;
  Action action;
  std::string_view target = {};
};

// Triton's flags (its src/command_line_parser.cc, every build option enabled).
constexpr TritonFlag kTritonFlags[] = {
    {"help", Value::kNone, Action::kHelp},
    {"id", Value::kString, Action::kSame},
    {"exit-timeout-secs", Value::kInt, Action::kSame},
    {"model-store", Value::kString, Action::kSame},
    {"model-repository", Value::kString, Action::kSame},
    {"exit-on-error", Value::kBool, Action::kSame},
    {"disable-auto-complete-config", Value::kNone, Action::kSame},
    {"strict-readiness", Value::kBool, Action::kSame},
    {"model-control-mode", Value::kString, Action::kControlMode},
    {"repository-poll-secs", Value::kInt, Action::kSame},
    {"load-model", Value::kString, Action::kSame},
    {"model-load-thread-count", Value::kInt, Action::kSame},
    {"model-load-retry-count", Value::kInt, Action::kIgnored},
    {"model-namespacing", Value::kBool, Action::kIgnored},
    {"allow-http", Value::kBool, Action::kSame},
    {"http-address", Value::kString, Action::kSame},
    {"http-port", Value::kInt, Action::kSame},
    {"reuse-http-port", Value::kBool, Action::kIgnored},
    {"http-header-forward-pattern", Value::kString, Action::kIgnored},
    {"http-thread-count", Value::kInt, Action::kRename, "http-threads"},
    {"http-restricted-api", Value::kString, Action::kSame},
    {"allow-grpc", Value::kBool, Action::kSame},
    {"grpc-address", Value::kString, Action::kSame},
    {"grpc-port", Value::kInt, Action::kSame},
    {"reuse-grpc-port", Value::kBool, Action::kIgnored},
    {"grpc-header-forward-pattern", Value::kString, Action::kIgnored},
    {"grpc-infer-allocation-pool-size", Value::kInt, Action::kIgnored},
    {"grpc-use-ssl", Value::kBool, Action::kSame},
    {"grpc-use-ssl-mutual", Value::kBool, Action::kSame},
    {"grpc-server-cert", Value::kString, Action::kSame},
    {"grpc-server-key", Value::kString, Action::kSame},
    {"grpc-root-cert", Value::kString, Action::kSame},
    {"grpc-infer-response-compression-level", Value::kString, Action::kSame},
    {"grpc-keepalive-time", Value::kInt, Action::kSame},
    {"grpc-keepalive-timeout", Value::kInt, Action::kSame},
    {"grpc-keepalive-permit-without-calls", Value::kBool, Action::kSame},
    {"grpc-http2-max-pings-without-data", Value::kInt, Action::kSame},
    {"grpc-http2-min-recv-ping-interval-without-data", Value::kInt, Action::kSame},
    {"grpc-http2-max-ping-strikes", Value::kInt, Action::kSame},
    {"grpc-max-connection-age", Value::kInt, Action::kSame},
    {"grpc-max-connection-age-grace", Value::kInt, Action::kSame},
    {"grpc-restricted-protocol", Value::kString, Action::kSame},
    {"log-verbose", Value::kString, Action::kLogVerbose},
    {"log-info", Value::kBool, Action::kSame},
    {"log-warning", Value::kBool, Action::kSame},
    {"log-error", Value::kBool, Action::kSame},
    {"log-format", Value::kString, Action::kLogFormat},
    {"log-file", Value::kString, Action::kSame},
    {"allow-sagemaker", Value::kBool, Action::kIgnored},
    {"sagemaker-port", Value::kInt, Action::kIgnored},
    {"sagemaker-safe-port-range", Value::kString, Action::kIgnored},
    {"sagemaker-thread-count", Value::kInt, Action::kIgnored},
    {"allow-vertex-ai", Value::kBool, Action::kIgnored},
    {"vertex-ai-port", Value::kInt, Action::kIgnored},
    {"vertex-ai-thread-count", Value::kInt, Action::kIgnored},
    {"vertex-ai-default-model", Value::kString, Action::kIgnored},
    {"allow-metrics", Value::kBool, Action::kSame},
    {"allow-gpu-metrics", Value::kBool, Action::kIgnored},
    {"allow-cpu-metrics", Value::kBool, Action::kIgnored},
    {"metrics-address", Value::kString, Action::kSame},
    {"metrics-port", Value::kInt, Action::kSame},
    {"metrics-interval-ms", Value::kFloat, Action::kNoEffect},
    {"metrics-config", Value::kString, Action::kIgnored},
    {"trace-config", Value::kString, Action::kIgnored},
    {"trace-file", Value::kString, Action::kSame},
    {"trace-level", Value::kString, Action::kSame},
    {"trace-rate", Value::kInt, Action::kSame},
    {"trace-count", Value::kInt, Action::kSame},
    {"trace-log-frequency", Value::kInt, Action::kIgnored},
    {"cache-config", Value::kString, Action::kIgnored},
    {"cache-directory", Value::kString, Action::kIgnored},
    {"response-cache-byte-size", Value::kInt, Action::kIgnored},
    {"rate-limit", Value::kString, Action::kIgnored},
    {"rate-limit-resource", Value::kString, Action::kIgnored},
    {"pinned-memory-pool-byte-size", Value::kInt, Action::kIgnored},
    {"cuda-memory-pool-byte-size", Value::kString, Action::kIgnored},
    {"cuda-virtual-address-size", Value::kString, Action::kIgnored},
    {"min-supported-compute-capability", Value::kFloat, Action::kSame},
    {"buffer-manager-thread-count", Value::kInt, Action::kIgnored},
    {"host-policy", Value::kString, Action::kIgnored},
    {"model-load-gpu-limit", Value::kString, Action::kIgnored},
    {"backend-directory", Value::kString, Action::kIgnored},
    {"backend-config", Value::kString, Action::kBackendConfig},
    {"repoagent-directory", Value::kString, Action::kIgnored},
    {"strict-model-config", Value::kBool, Action::kStrictModelConfig},
};

const TritonFlag* FindTritonFlag(std::string_view name) {
  for (const auto& flag : kTritonFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Triton's booleans: true/false, on/off, 1/0, in any case.
std::optional<bool> ParseBool(std::string_view value) {
  const std::string v = Lower(value);
  if (v == "true" || v == "on" || v == "1") return true;
  if (v == "false" || v == "off" || v == "0") return false;
  return std::nullopt;
}

Status BadValue(const std::string& flag, const std::string& value, std::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat("invalid value '", value, "' for --", flag,
                                                 " (expected ", std::string(expected), ")"));
}

std::string NearestFlag(std::string_view name, const ServeFlagTable& inferd_flags) {
  std::string best;
  size_t best_distance = std::numeric_limits<size_t>::max();
  auto consider = [&](std::string_view candidate) {
    const size_t d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  };
  for (const auto& flag : kTritonFlags) consider(flag.name);
  for (const auto& [flag, takes_value] : inferd_flags) {
    if (flag.rfind("--", 0) == 0) consider(std::string_view(flag).substr(2));
  }
  return best;
}

// The rewrite of one Triton flag with its value (empty for kNone flags).
Status ApplyTritonFlag(const TritonFlag& flag, const std::string& value, RewrittenArgs& out) {
  const std::string name(flag.name);
  switch (flag.action) {
    case Action::kHelp:
      out.args.push_back("--help");
      return absl::OkStatus();
    case Action::kIgnored:
      out.warnings.push_back(
          absl::StrCat("--", name, " is a Triton option inferd does not implement; ignored"));
      return absl::OkStatus();
    case Action::kNoEffect: {
      char* end = nullptr;
      const double ms = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(ms > 0)) return BadValue(name, value, "> 0");
      out.notes.push_back(absl::StrCat("--", name, " accepted: inferd computes its metrics when ",
                                       "scraped, so there is no collection interval"));
      return absl::OkStatus();
    }
    case Action::kStrictModelConfig: {
      const auto strict = ParseBool(value);
      if (!strict) return BadValue(name, value, "true/false/1/0/on/off");
      if (*strict) out.args.push_back("--disable-auto-complete-config");
      return absl::OkStatus();
    }
    case Action::kControlMode:
      out.args.push_back(absl::StrCat("--", name, "=", Lower(value)));
      return absl::OkStatus();
    case Action::kLogFormat: {
      const std::string format = Lower(value);
      if (format == "default" || format == "iso8601" || format == "text") {
        out.args.push_back("--log-format=text");
      } else if (format == "json") {
        out.args.push_back("--log-format=json");
      } else {
        return BadValue(name, value, "default, ISO8601, text or json");
      }
      return absl::OkStatus();
    }
    case Action::kLogVerbose: {
      const std::string v = Lower(value);
      std::string level = v == "true" ? "1" : v == "false" ? "0" : v;
      if (level.empty() || !std::all_of(level.begin(), level.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return BadValue(name, value, "a level >= 0, true or false");
      }
      out.args.push_back(absl::StrCat("--", name, "=", level));
      return absl::OkStatus();
    }
    case Action::kBackendConfig:
      // <backend>,<setting>=<value> or a global <setting>=<value>, as Triton reads it.
      if (value.find('=') == std::string::npos || value.front() == '=') {
        return BadValue(name, value, "<backend>,<setting>=<value> or <setting>=<value>");
      }
      out.args.push_back(absl::StrCat("--", name, "=", value));
      return absl::OkStatus();
    case Action::kRename:
    case Action::kSame: {
      const std::string target(flag.action == Action::kRename ? flag.target : flag.name);
      if (flag.value == Value::kNone) {
        out.args.push_back(absl::StrCat("--", target));
        return absl::OkStatus();
      }
      if (flag.value == Value::kBool) {
        const auto b = ParseBool(value);
        if (!b) return BadValue(name, value, "true/false/1/0/on/off");
        out.args.push_back(absl::StrCat("--", target, "=", *b ? "true" : "false"));
        return absl::OkStatus();
      }
      out.args.push_back(absl::StrCat("--", target, "=", value));
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

ClassifiedCommandLine ClassifyCommandLine(const std::vector<std::string>& argv) {
  ClassifiedCommandLine out;
  if (argv.empty()) return out;
  auto tail = [&](size_t from) {
    return std::vector<std::string>(argv.begin() + static_cast<std::ptrdiff_t>(from), argv.end());
  };
  if (std::filesystem::path(argv[0]).filename() == "tritonserver") {
    out.invocation = Invocation::kTritonServer;
    out.serve_args = tail(1);
  } else if (argv.size() > 1 && argv[1] == "tritonserver") {
    out.invocation = Invocation::kTritonServer;
    out.serve_args = tail(2);
  } else if (argv.size() > 1 && argv[1] == "serve") {
    out.invocation = Invocation::kServe;
    out.serve_args = tail(2);
  } else if (argv.size() > 1 && argv[1].rfind("--", 0) == 0 && argv[1] != "--help" &&
             argv[1] != "--version") {
    out.invocation = Invocation::kServe;  // options without a subcommand: serve, as Triton
    out.serve_args = tail(1);
  }
  return out;
}

StatusOr<RewrittenArgs> RewriteTritonArgs(const std::vector<std::string>& args,
                                          const ServeFlagTable& inferd_flags,
                                          std::string_view default_id) {
  RewrittenArgs out;
  bool has_id = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token.size() <= 2 || token.rfind("--", 0) != 0) {
      out.args.push_back(token);  // "-h", "--" or a stray argument: the option parser judges
      continue;
    }
    const size_t eq = token.find('=');
    const std::string name = token.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const std::optional<std::string> inline_value =
        eq == std::string::npos ? std::nullopt : std::optional<std::string>(token.substr(eq + 1));
    const TritonFlag* triton = FindTritonFlag(name);
    const auto inferd = inferd_flags.find("--" + name);
    if (triton == nullptr && inferd == inferd_flags.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown option --", name, "; did you mean --",
                                                     NearestFlag(name, inferd_flags),
                                                     "? (see inferd serve --help)"));
    }
    const bool takes_value = triton != nullptr ? triton->value != Value::kNone : inferd->second;
    std::string value;
    if (takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat("option --", name, " needs a value"));
      }
    }
    if (name == "id") has_id = true;
    if (triton != nullptr) {
      RETURN_IF_ERROR(ApplyTritonFlag(*triton, value, out));
    } else if (takes_value) {
      out.args.push_back(absl::StrCat("--", name, "=", value));
    } else {
      out.args.push_back(token);
    }
  }
  if (!has_id && !default_id.empty())
    out.args.push_back(absl::StrCat("--id=", std::string(default_id)));
  return out;
}

std::map<std::string, std::string> TritonFlagDispositions() {
  std::map<std::string, std::string> out;
  for (const auto& flag : kTritonFlags) {
    out[std::string(flag.name)] = flag.action == Action::kIgnored ? "ignored"
                                  : flag.action == Action::kSame  ? "implemented"
                                                                  : "mapped";
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace inferd::server
