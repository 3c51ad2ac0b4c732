#include "frontend/http/torchserve/torchserve_routes.h"

#include <optional>
#include <utility>

#include "frontend/http/torchserve/torchserve_handlers.h"
#include "frontend/http/torchserve/torchserve_management.h"
#include "frontend/http/torchserve/torchserve_openapi.h"
#include "frontend/http/torchserve/torchserve_status.h"
#include "frontend/http/url_util.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

TorchServeContext Context(RouteCall& call) {
  RouteContext& c = call.context;
  return {c.service, c.limits, c.torchserve_defaults, c.predict};
}

std::optional<std::string_view> Version(const PathParams& params) {
  if (!params.Has("version")) return std::nullopt;
  return params.Get("version");
}

// The version a prediction would run on, as HandleTorchServePredictions resolves it; nothing for
// a malformed name or version (the handler answers those).
std::optional<HttpResponse> PredictionsRefusedOnHead(const RouteContext& context,
                                                     const PathParams& params) {
  const auto model = UrlDecode(params.Get("model"));
  if (!model.has_value() || model->empty()) return std::nullopt;
  int64_t version = context.torchserve_defaults.Get(*model);
  if (params.Has("version")) {
    const auto parsed = ParseTorchServeVersion(params.Get("version"));
    if (!parsed.has_value()) return std::nullopt;
    version = *parsed;
  }
  return RefuseWhenFull(context, *model, version, TorchServeError);
}

void ApiDescription(RouteCall call) { std::move(call.respond)(TorchServeApiDescription()); }
void Ping(RouteCall call) { std::move(call.respond)(HandleTorchServePing(call.context.service)); }

void Predictions(RouteCall call) {
  HandleTorchServePredictions(Context(call), std::move(call.request), call.params.Get("model"),
                              Version(call.params), std::move(call.cancel),
                              std::move(call.respond));
}

template <TorchServeOperation kOperation>
void Manage(RouteCall call) {
  HandleTorchServeManagement(Context(call), kOperation, *call.request, call.params.Get("model"),
                             Version(call.params), std::move(call.respond));
}

constexpr auto kGet = bhttp::verb::get;
constexpr auto kPost = bhttp::verb::post;
constexpr auto kPut = bhttp::verb::put;
constexpr auto kDelete = bhttp::verb::delete_;
constexpr auto kList = Manage<TorchServeOperation::kList>;
constexpr auto kRegister = Manage<TorchServeOperation::kRegister>;
constexpr auto kDescribe = Manage<TorchServeOperation::kDescribe>;
constexpr auto kScale = Manage<TorchServeOperation::kScale>;
constexpr auto kUnregister = Manage<TorchServeOperation::kUnregister>;
constexpr auto kSetDefault = Manage<TorchServeOperation::kSetDefault>;
constexpr auto kRepository = ApiCategory::kModelRepository;

constexpr Route kRoutes[] = {
    {bhttp::verb::options, "/", ApiDescription, "torchserve_api_description",
     ApiCategory::kMetadata, "TorchServe API description (OpenAPI)", false, true},
    {kGet, "/ping", Ping, "torchserve_ping", ApiCategory::kHealth, "TorchServe health"},
    {kPost, "/ping", Ping, "torchserve_ping", ApiCategory::kHealth, "TorchServe health"},
    RefusedOnHead({kPost, "/predictions/{model}", Predictions, "torchserve_predictions",
                   ApiCategory::kInference,
                   "TorchServe prediction (JSON tensors or an image) on the default version"},
                  PredictionsRefusedOnHead),
    RefusedOnHead({kPut, "/predictions/{model}", Predictions, "torchserve_predictions",
                   ApiCategory::kInference, "TorchServe prediction on the default version"},
                  PredictionsRefusedOnHead),
    RefusedOnHead({kPost, "/predictions/{model}/{version}", Predictions, "torchserve_predictions",
                   ApiCategory::kInference, "TorchServe prediction on one version"},
                  PredictionsRefusedOnHead),
    RefusedOnHead({kPut, "/predictions/{model}/{version}", Predictions, "torchserve_predictions",
                   ApiCategory::kInference, "TorchServe prediction on one version"},
                  PredictionsRefusedOnHead),
    {kGet, "/models", kList, "torchserve_list_models", kRepository,
     "Loaded models, paginated (limit, next_page_token)", true},
    {kPost, "/models", kRegister, "torchserve_register", kRepository,
     "Register (load) a repository model: url, initial_workers, batch_size, max_batch_delay", true},
    {kGet, "/models/{model}", kDescribe, "torchserve_describe", ApiCategory::kMetadata,
     "Describe a model's default version", true},
    {kGet, "/models/{model}/{version}", kDescribe, "torchserve_describe", ApiCategory::kMetadata,
     "Describe one version, or every version with 'all'", true},
    {kPut, "/models/{model}", kScale, "torchserve_scale", kRepository,
     "Scale a model's workers (min_worker)", true},
    {kPut, "/models/{model}/{version}", kScale, "torchserve_scale", kRepository,
     "Scale a version's workers (min_worker)", true},
    {kDelete, "/models/{model}", kUnregister, "torchserve_unregister", kRepository,
     "Unregister (unload) a model", true},
    {kDelete, "/models/{model}/{version}", kUnregister, "torchserve_unregister", kRepository,
     "Unregister one version", true},
    {kPut, "/models/{model}/{version}/set-default", kSetDefault, "torchserve_set_default",
     kRepository, "Make a version the one /predictions/{model} uses", true},
};

bool Owns(std::string_view path) { return path == "/models" || path.rfind("/models/", 0) == 0; }

HttpResponse NotFound(const HttpRequest&, std::string_view) { return TorchServeResourceNotFound(); }

HttpResponse WrongMethod(const HttpRequest&, std::string_view, std::string_view) {
  return TorchServeMethodNotAllowed();
}

}  // namespace

const Dialect& TorchServeDialect() {
  static const Dialect dialect{"torchserve", kRoutes, Owns, NotFound, WrongMethod};
  return dialect;
}

}  // namespace inferd::frontend::http
