#include "frontend/http/tfserving/tfserving_routes.h"

#include <optional>
#include <utility>

#include "frontend/http/tfserving/tfserving_handlers.h"
#include "frontend/http/tfserving_codec.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

std::optional<std::string_view> Optional(const PathParams& params, std::string_view name) {
  if (!params.Has(name)) return std::nullopt;
  return params.Get(name);
}

// One handler per verb; the version or label comes from whichever the pattern has.
template <bool kMetadata>
void Serve(RouteCall call, std::string_view verb) {
  TfsRoute route{call.params.Get("model"), Optional(call.params, "version"),
                 Optional(call.params, "label"), verb, kMetadata};
  HandleTfServing(call.context.service, call.context.limits, std::move(call.request), route,
                  std::move(call.cancel), std::move(call.respond));
}

void Predict(RouteCall call) { Serve<false>(std::move(call), "predict"); }
void Classify(RouteCall call) { Serve<false>(std::move(call), "classify"); }
void Regress(RouteCall call) { Serve<false>(std::move(call), "regress"); }
void ModelStatus(RouteCall call) { Serve<false>(std::move(call), ""); }
void Metadata(RouteCall call) { Serve<true>(std::move(call), ""); }

constexpr auto kGet = bhttp::verb::get;
constexpr auto kPost = bhttp::verb::post;

// Each call on the model's latest version, on /versions/{version} and on /labels/{label}.
#define INFERD_TFS_ROUTES(path, what, refuse)                                       \
  {kPost,                                                                           \
   path ":predict",                                                                 \
   Predict,                                                                         \
   "tfs_predict",                                                                   \
   ApiCategory::kInference,                                                         \
   "TF Serving predict (row or columnar JSON) on " what,                            \
   false,                                                                           \
   false,                                                                           \
   refuse},                                                                         \
      {kPost,                                                                       \
       path ":classify",                                                            \
       Classify,                                                                    \
       "tfs_classify",                                                              \
       ApiCategory::kInference,                                                     \
       "TF Serving classify on " what " (501: tf.Example inputs are not served)"},  \
      {kPost,                                                                       \
       path ":regress",                                                             \
       Regress,                                                                     \
       "tfs_regress",                                                               \
       ApiCategory::kInference,                                                     \
       "TF Serving regress on " what " (501: tf.Example inputs are not served)"},   \
      {kGet,                                                                        \
       path,                                                                        \
       ModelStatus,                                                                 \
       "tfs_model_status",                                                          \
       ApiCategory::kMetadata,                                                      \
       "TF Serving model status of " what},                                         \
  {                                                                                 \
    kGet, path "/metadata", Metadata, "tfs_model_metadata", ApiCategory::kMetadata, \
        "TF Serving signature metadata of " what                                    \
  }

constexpr Route kRoutes[] = {
    INFERD_TFS_ROUTES("/v1/models/{model}", "the latest version",
                      RefuseModelWhenFull<TfsErrorResponse>),
    INFERD_TFS_ROUTES("/v1/models/{model}/versions/{version}", "one version",
                      RefuseModelWhenFull<TfsErrorResponse>),
    // A label's version is in the model's config: resolving it per head is not cheap enough.
    INFERD_TFS_ROUTES("/v1/models/{model}/labels/{label}", "a labelled version", nullptr),
};

#undef INFERD_TFS_ROUTES

bool Owns(std::string_view path) { return path == "/v1" || path.rfind("/v1/", 0) == 0; }

HttpResponse NotFound(const HttpRequest& request, std::string_view path) {
  return TfsMalformed(request, path);
}

HttpResponse WrongMethod(const HttpRequest& request, std::string_view path, std::string_view) {
  return TfsMalformed(request, path);
}

}  // namespace

const Dialect& TfServingDialect() {
  static const Dialect dialect{"tfserving", kRoutes, Owns, NotFound, WrongMethod};
  return dialect;
}

}  // namespace inferd::frontend::http
