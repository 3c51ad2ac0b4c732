#include "frontend/http/endpoint_label.h"

#include <algorithm>

namespace inferd::frontend::http {
namespace {

enum Endpoint : size_t {
  kInfer,
  kHealth,
  kServerMetadata,
  kModelMetadata,
  kModelReady,
  kModelConfig,
  kStatistics,
  kRepository,
  kLogging,
  kTrace,
  kOther,
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

const std::vector<std::string>& HttpEndpoints() {
  static const std::vector<std::string> names = {"infer",          "health",      "server_metadata",
                                                 "model_metadata", "model_ready", "model_config",
                                                 "statistics",     "repository",  "logging",
                                                 "trace",          "other"};
  return names;
}

size_t HttpEndpointIndex(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target == "/v2" || target == "/v2/") return kServerMetadata;
  if (target.rfind("/v2/health/", 0) == 0) return kHealth;
  if (target.rfind("/v2/repository/", 0) == 0) return kRepository;
  if (target == "/v2/logging") return kLogging;
  if (target.rfind("/v2/trace/", 0) == 0) return kTrace;
  if (target.rfind("/v2/models/", 0) != 0) return kOther;
  if (EndsWith(target, "/infer")) return kInfer;
  if (EndsWith(target, "/ready")) return kModelReady;
  if (EndsWith(target, "/config")) return kModelConfig;
  if (EndsWith(target, "/stats")) return kStatistics;
  if (EndsWith(target, "/trace/setting")) return kTrace;
  return kModelMetadata;
}

}  // namespace inferd::frontend::http
