#include "frontend/http/kserve/kserve_routes.h"

#include <utility>

#include "frontend/http/kserve/infer_handler.h"
#include "frontend/http/kserve/kserve_v2_handlers.h"
#include "frontend/http/kserve/observability_handlers.h"
#include "frontend/http/kserve/repository_handlers.h"
#include "frontend/http/kserve/shared_memory_handlers.h"
#include "frontend/http/url_util.h"

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
                std::move(call.cancel), std::move(call.respond), context.shared_memory);
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

// Runs `answer(region)` once the path's region name URL-decodes; else 400. No {region}: "".
template <typename Answer>
void WithRegion(RouteCall& call, Answer answer) {
  std::string region;
  if (call.params.Has("region")) {
    auto decoded = UrlDecode(call.params.Get("region"));
    if (!decoded.has_value() || decoded->empty()) {
      return Reply(call, ErrorResponse(bhttp::status::bad_request,
                                       "malformed shared memory region name in the URL"));
    }
    region = *std::move(decoded);
  }
  Reply(call, answer(region));
}

void SystemShmStatus(RouteCall call) {
  WithRegion(call, [&](const std::string& region) {
    return HandleSystemShmStatus(call.context.shared_memory, region);
  });
}
void SystemShmRegister(RouteCall call) {
  WithRegion(call, [&](const std::string& region) {
    return HandleSystemShmRegister(call.context.shared_memory, region, call.request->body());
  });
}
void SystemShmUnregister(RouteCall call) {
  WithRegion(call, [&](const std::string& region) {
    return HandleSystemShmUnregister(call.context.shared_memory, region);
  });
}
void CudaShmStatus(RouteCall call) {
  WithRegion(call, [](const std::string& region) { return HandleCudaShmStatus(region); });
}
void CudaShmRegister(RouteCall call) {
  WithRegion(call, [](const std::string&) { return HandleCudaShmRegister(); });
}
void CudaShmUnregister(RouteCall call) {
  WithRegion(call, [](const std::string& region) { return HandleCudaShmUnregister(region); });
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
    {kGet, "/v2/systemsharedmemory/status", SystemShmStatus, "shared_memory",
     ApiCategory::kSharedMemory, "Every registered system shared-memory region"},
    {kGet, "/v2/systemsharedmemory/region/{region}/status", SystemShmStatus, "shared_memory",
     ApiCategory::kSharedMemory, "One system shared-memory region"},
    {kPost, "/v2/systemsharedmemory/region/{region}/register", SystemShmRegister, "shared_memory",
     ApiCategory::kSharedMemory, "Register a system shared-memory region (key, offset, byte_size)"},
    {kPost, "/v2/systemsharedmemory/region/{region}/unregister", SystemShmUnregister,
     "shared_memory", ApiCategory::kSharedMemory, "Unregister a system shared-memory region"},
    {kPost, "/v2/systemsharedmemory/unregister", SystemShmUnregister, "shared_memory",
     ApiCategory::kSharedMemory, "Unregister every system shared-memory region"},
    {kGet, "/v2/cudasharedmemory/status", CudaShmStatus, "shared_memory",
     ApiCategory::kSharedMemory, "CUDA shared-memory regions (none: not supported)"},
    {kGet, "/v2/cudasharedmemory/region/{region}/status", CudaShmStatus, "shared_memory",
     ApiCategory::kSharedMemory, "CUDA shared memory is not supported"},
    {kPost, "/v2/cudasharedmemory/region/{region}/register", CudaShmRegister, "shared_memory",
     ApiCategory::kSharedMemory, "CUDA shared memory is not supported"},
    {kPost, "/v2/cudasharedmemory/region/{region}/unregister", CudaShmUnregister, "shared_memory",
     ApiCategory::kSharedMemory, "CUDA shared memory is not supported"},
    {kPost, "/v2/cudasharedmemory/unregister", CudaShmUnregister, "shared_memory",
     ApiCategory::kSharedMemory, "Unregister every CUDA shared-memory region (none)"},
    {kGet, "/v2/models/stats", AllStatistics, "statistics", ApiCategory::kStatistics,
     "Statistics of every model"},
    RefusedOnHead({kPost, "/v2/models/{model}/infer", Infer, "infer", ApiCategory::kInference,
                   "Inference on the model's latest ready version"},
                  RefuseModelWhenFull<ErrorResponse>),
    RefusedOnHead({kPost, "/v2/models/{model}/versions/{version}/infer", Infer, "infer",
                   ApiCategory::kInference, "Inference on one model version"},
                  RefuseModelWhenFull<ErrorResponse>),
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
