#include "frontend/http/kserve/kserve_routes.h"

#include <utility>

#include "frontend/http/kserve/infer_handler.h"
#include "frontend/http/kserve/kserve_v2_handlers.h"
#include "frontend/http/kserve/observability_handlers.h"
#include "frontend/http/kserve/repository_handlers.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

void Reply(RouteCall& call, HttpResponse response) { std::move(call.respond)(std::move(response)); }

// Runs `answer(model, version)` once the path's model and version parse; else 400.
template <typename Answer>
void WithModel(RouteCall& call, Answer answer) {
  auto model = ModelParam(call.params);
  if (!model.ok()) return Reply(call, ErrorResponse(model.status()));
  auto version = VersionParam(call.params);
  if (!version.ok()) return Reply(call, ErrorResponse(version.status()));
  answer(*std::move(model), *version);
}

void ServerMetadata(RouteCall call) { Reply(call, HandleServerMetadata(call.context.service)); }
void HealthLive(RouteCall call) { Reply(call, HandleHealthLive(call.context.service)); }
void HealthReady(RouteCall call) { Reply(call, HandleHealthReady(call.context.service)); }
void LoggingGet(RouteCall call) { Reply(call, HandleLoggingGet()); }
void LoggingPost(RouteCall call) { Reply(call, HandleLoggingPost(call.request->body())); }
void TraceGet(RouteCall call) { Reply(call, HandleTraceGet(call.context.tracer)); }
void TracePost(RouteCall call) {
  Reply(call, HandleTracePost(call.context.tracer, call.request->body()));
}
void RepositoryIndex(RouteCall call) {
  Reply(call, HandleRepositoryIndex(call.context.service, call.request->body()));
}
void AllStatistics(RouteCall call) {
  Reply(call, HandleModelStatistics(call.context.service, "", 0));
}

void RepositoryLoad(RouteCall call) {
  auto model = ModelParam(call.params);
  if (!model.ok()) return Reply(call, ErrorResponse(model.status()));
  HandleRepositoryLoad(call.context.service, *std::move(model), call.request->body(),
                       std::move(call.respond));
}

void RepositoryUnload(RouteCall call) {
  auto model = ModelParam(call.params);
  if (!model.ok()) return Reply(call, ErrorResponse(model.status()));
  HandleRepositoryUnload(call.context.service, *std::move(model), call.request->body(),
                         std::move(call.respond));
}

void Infer(RouteCall call) {
  WithModel(call, [&](std::string model, int64_t version) {
    RouteContext& context = call.context;
    HandleInfer(context.service, context.limits, std::move(call.request), std::move(model), version,
                std::move(call.cancel), std::move(call.respond));
  });
}

void ModelMetadata(RouteCall call) {
  WithModel(call, [&](const std::string& model, int64_t version) {
    Reply(call, HandleModelMetadata(call.context.service, model, version));
  });
}

void ModelReady(RouteCall call) {
  WithModel(call, [&](const std::string& model, int64_t version) {
    Reply(call, HandleModelReady(call.context.service, model, version));
  });
}

void ModelConfig(RouteCall call) {
  WithModel(call, [&](const std::string& model, int64_t version) {
    Reply(call, HandleModelConfig(call.context.service, model, version));
  });
}

void ModelStatistics(RouteCall call) {
  WithModel(call, [&](const std::string& model, int64_t version) {
    Reply(call, HandleModelStatistics(call.context.service, model, version));
  });
}

constexpr auto kGet = bhttp::verb::get;
constexpr auto kPost = bhttp::verb::post;

// Order matters only where patterns overlap: /v2/models/stats (every model's statistics, as
// Triton) comes before /v2/models/{model}, so a model named "stats" keeps only its longer paths.
constexpr Route kRoutes[] = {
    {kGet, "/v2", ServerMetadata, "server_metadata", ApiCategory::kMetadata,
     "Server metadata: name, version, extensions"},
    {kGet, "/v2/health/live", HealthLive, "health", ApiCategory::kHealth, "Server liveness"},
    {kGet, "/v2/health/ready", HealthReady, "health", ApiCategory::kHealth, "Server readiness"},
    {kGet, "/v2/logging", LoggingGet, "logging", ApiCategory::kLogging, "Log settings"},
    {kPost, "/v2/logging", LoggingPost, "logging", ApiCategory::kLogging, "Change log settings"},
    {kGet, "/v2/trace/setting", TraceGet, "trace", ApiCategory::kTrace, "Trace settings"},
    {kPost, "/v2/trace/setting", TracePost, "trace", ApiCategory::kTrace, "Change trace settings"},
    {kPost, "/v2/repository/index", RepositoryIndex, "repository", ApiCategory::kModelRepository,
     "Models in the repository and their states"},
    {kPost, "/v2/repository/models/{model}/load", RepositoryLoad, "repository",
     ApiCategory::kModelRepository, "Load or reload a model (optional config override)"},
    {kPost, "/v2/repository/models/{model}/unload", RepositoryUnload, "repository",
     ApiCategory::kModelRepository, "Unload a model"},
    {kGet, "/v2/models/stats", AllStatistics, "statistics", ApiCategory::kStatistics,
     "Statistics of every model"},
    {kPost, "/v2/models/{model}/infer", Infer, "infer", ApiCategory::kInference,
     "Inference on the model's latest ready version"},
    {kPost, "/v2/models/{model}/versions/{version}/infer", Infer, "infer", ApiCategory::kInference,
     "Inference on one model version"},
    {kGet, "/v2/models/{model}/ready", ModelReady, "model_ready", ApiCategory::kHealth,
     "Model readiness"},
    {kGet, "/v2/models/{model}/versions/{version}/ready", ModelReady, "model_ready",
     ApiCategory::kHealth, "Model version readiness"},
    {kGet, "/v2/models/{model}/config", ModelConfig, "model_config", ApiCategory::kModelConfig,
     "Model configuration"},
    {kGet, "/v2/models/{model}/versions/{version}/config", ModelConfig, "model_config",
     ApiCategory::kModelConfig, "Model version configuration"},
    {kGet, "/v2/models/{model}/stats", ModelStatistics, "statistics", ApiCategory::kStatistics,
     "Model statistics"},
    {kGet, "/v2/models/{model}/versions/{version}/stats", ModelStatistics, "statistics",
     ApiCategory::kStatistics, "Model version statistics"},
    {kGet, "/v2/models/{model}", ModelMetadata, "model_metadata", ApiCategory::kMetadata,
     "Model metadata: inputs and outputs"},
    {kGet, "/v2/models/{model}/versions/{version}", ModelMetadata, "model_metadata",
     ApiCategory::kMetadata, "Model version metadata"},
};

}  // namespace

const Dialect& KServeDialect() {
  static const Dialect dialect{"kserve", kRoutes, nullptr, CommonNotFound, CommonMethodNotAllowed};
  return dialect;
}

}  // namespace inferd::frontend::http
