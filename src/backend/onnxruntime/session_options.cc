#include "backend/onnxruntime/session_options.h"

#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace inferd::backend::ort {
namespace {

// Far above any core count; rejects typos such as "10000" before ORT tries to spawn them.
constexpr int kMaxThreads = 1024;

const std::string* FindParameter(const ::inference::ModelConfig& config, const std::string& key) {
  auto it = config.parameters().find(key);
  return it == config.parameters().end() ? nullptr : &it->second.string_value();
}

Status ParseThreads(const ::inference::ModelConfig& config, const std::string& key, int& out) {
  const std::string* value = FindParameter(config, key);
  if (value == nullptr) return absl::OkStatus();
  int parsed = 0;
  if (!absl::SimpleAtoi(*value, &parsed) || parsed < 0 || parsed > kMaxThreads) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter '", key, "' must be an integer in [0, ", kMaxThreads, "], got '", *value, "'"));
  }
  out = parsed;
  return absl::OkStatus();
}

Status ParseBool(const ::inference::ModelConfig& config, const std::string& key, bool& out) {
  const std::string* value = FindParameter(config, key);
  if (value == nullptr) return absl::OkStatus();
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*value));
  if (lower == "1" || lower == "true") {
    out = true;
  } else if (lower == "0" || lower == "false") {
    out = false;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("parameter '", key, "' must be 1, 0, true or false, got '", *value, "'"));
  }
  return absl::OkStatus();
}

StatusOr<GraphLevel> ParseGraphLevel(const ::inference::ModelConfig& config) {
  if (!config.has_optimization() || !config.optimization().has_graph()) return GraphLevel::kAll;
  switch (config.optimization().graph().level()) {
    case -1:
      return GraphLevel::kBasic;
    case 0:
      return GraphLevel::kAll;
    case 1:
      return GraphLevel::kExtended;
    case 2:
      return GraphLevel::kDisableAll;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("optimization.graph.level must be -1, 0, 1 or 2, got ",
                       config.optimization().graph().level()));
  }
}

}  // namespace

StatusOr<SessionSettings> ParseSessionSettings(const ::inference::ModelConfig& config) {
  SessionSettings settings;
  RETURN_IF_ERROR(ParseThreads(config, "intra_op_thread_count", settings.intra_op_threads));
  RETURN_IF_ERROR(ParseThreads(config, "inter_op_thread_count", settings.inter_op_threads));
  RETURN_IF_ERROR(ParseBool(config, "enable_mem_arena", settings.mem_arena));
  bool spinning = false;
  if (FindParameter(config, "allow_spinning") != nullptr) {
    RETURN_IF_ERROR(ParseBool(config, "allow_spinning", spinning));
    settings.intra_op_spinning = spinning;
    settings.inter_op_spinning = spinning;
  }
  // The specific keys win over allow_spinning: they are the more precise request.
  RETURN_IF_ERROR(ParseBool(config, "session.intra_op.allow_spinning", settings.intra_op_spinning));
  RETURN_IF_ERROR(ParseBool(config, "session.inter_op.allow_spinning", settings.inter_op_spinning));
  ASSIGN_OR_RETURN(settings.graph_level, ParseGraphLevel(config));
  return settings;
}

}  // namespace inferd::backend::ort
