// KServe v2 REST handlers for health, metadata, readiness, config and the repository index
// (everything but inference, which is in infer_handler.h). Each handler answers synchronously:
// these facade calls do not wait on inference. Thread-safe (the facade is).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

HttpResponse HandleHealthLive(const core::InferenceService& service);
HttpResponse HandleHealthReady(const core::InferenceService& service);
HttpResponse HandleServerMetadata(const core::InferenceService& service);
HttpResponse HandleModelMetadata(const core::InferenceService& service, std::string_view model,
                                 int64_t version);
// 200 when ready; otherwise 400 with an empty body, as Triton (also for unknown models).
HttpResponse HandleModelReady(const core::InferenceService& service, std::string_view model,
                              int64_t version);
HttpResponse HandleModelConfig(const core::InferenceService& service, std::string_view model,
                               int64_t version);
// `body` may be empty or {"ready": bool}.
// GET /v2/models/stats (model empty), /v2/models/{m}/stats, /v2/models/{m}/versions/{v}/stats.
HttpResponse HandleModelStatistics(const core::InferenceService& service, std::string_view model,
                                   int64_t version);
HttpResponse HandleRepositoryIndex(const core::InferenceService& service, std::string_view body);

}  // namespace inferd::frontend::http
