#include "frontend/http/kserve/kserve_v2_handlers.h"

#include <utility>

#include "frontend/http/config_json.h"
#include "frontend/http/json_parse.h"
#include "frontend/http/kserve/metadata_json.h"
#include "frontend/http/kserve/stats_json.h"

namespace inferd::frontend::http {

namespace bhttp = boost::beast::http;

// Triton answers health and readiness probes 200/400 with no body.
HttpResponse HandleHealthLive(const core::InferenceService& service) {
  return EmptyResponse(service.IsLive() ? bhttp::status::ok : bhttp::status::bad_request);
}

HttpResponse HandleHealthReady(const core::InferenceService& service) {
  return EmptyResponse(service.IsReady() ? bhttp::status::ok : bhttp::status::bad_request);
}

HttpResponse HandleServerMetadata(const core::InferenceService& service) {
  return JsonResponse(bhttp::status::ok, ServerMetadataJson(service.GetServerMetadata()));
}

HttpResponse HandleModelMetadata(const core::InferenceService& service, std::string_view model,
                                 int64_t version) {
  auto metadata = service.GetModelMetadata(model, version);
  if (!metadata.ok()) return ErrorResponse(metadata.status());
  return JsonResponse(bhttp::status::ok, ModelMetadataJson(*metadata));
}

HttpResponse HandleModelReady(const core::InferenceService& service, std::string_view model,
                              int64_t version) {
  const bool ready = service.ModelReady(model, version).ok();
  return EmptyResponse(ready ? bhttp::status::ok : bhttp::status::bad_request);
}

HttpResponse HandleModelConfig(const core::InferenceService& service, std::string_view model,
                               int64_t version) {
  auto config = service.GetModelConfig(model, version);
  if (!config.ok()) return ErrorResponse(config.status());
  auto json = ModelConfigToJson(*config);
  if (!json.ok()) return ErrorResponse(json.status());
  return JsonResponse(bhttp::status::ok, *std::move(json));
}

HttpResponse HandleModelStatistics(const core::InferenceService& service, std::string_view model,
                                   int64_t version) {
  auto stats = service.GetModelStatistics(model, version);
  if (!stats.ok()) return ErrorResponse(stats.status());
  return JsonResponse(bhttp::status::ok, ModelStatisticsJson(*stats));
}

HttpResponse HandleRepositoryIndex(const core::InferenceService& service, std::string_view body) {
  bool ready_only = false;
  if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    auto doc = ParseJson(body);
    if (!doc.ok()) return ErrorResponse(doc.status());
    if (!doc->IsObject()) {
      return ErrorResponse(absl::InvalidArgumentError("the index request must be a JSON object"));
    }
    auto ready = doc->FindMember("ready");
    if (ready != doc->MemberEnd()) {
      if (!ready->value.IsBool()) {
        return ErrorResponse(absl::InvalidArgumentError("'ready' must be a boolean"));
      }
      ready_only = ready->value.GetBool();
    }
  }
  return JsonResponse(bhttp::status::ok, RepositoryIndexJson(service.RepositoryIndex(ready_only)));
}

}  // namespace inferd::frontend::http
