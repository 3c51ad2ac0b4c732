#include "frontend/http/predict/predict_routes.h"

#include <utility>

#include "frontend/http/predict/predict_handler.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

void Health(RouteCall call) { std::move(call.respond)(HandleHealth(call.context.service)); }

// An empty {model} ("/predict/") is the default model, as "/predict" is.
void Predict(RouteCall call) {
  std::string model;
  if (!call.params.Get("model").empty() || call.params.Has("version")) {
    auto parsed = ModelParam(call.params);
    if (!parsed.ok()) return std::move(call.respond)(ErrorResponse(parsed.status()));
    model = *std::move(parsed);
  }
  auto version = VersionParam(call.params);
  if (!version.ok()) return std::move(call.respond)(ErrorResponse(version.status()));
  HandlePredict(call.context.service, call.context.predict, call.request, std::move(model),
                *version, std::move(call.cancel), std::move(call.respond));
}

constexpr Route kRoutes[] = {
    {bhttp::verb::get, "/health", Health, "predict_health", ApiCategory::kHealth,
     "Liveness and readiness as a small JSON status"},
    {bhttp::verb::post, "/predict", Predict, "predict", ApiCategory::kInference,
     "Classify an uploaded image with the default model"},
    RefusedOnHead({bhttp::verb::post, "/predict/{model}", Predict, "predict",
                   ApiCategory::kInference, "Classify an uploaded image with a model"},
                  RefuseModelWhenFull<ErrorResponse>),
    RefusedOnHead({bhttp::verb::post, "/predict/{model}/versions/{version}", Predict, "predict",
                   ApiCategory::kInference, "Classify an uploaded image with one model version"},
                  RefuseModelWhenFull<ErrorResponse>),
};

}  // namespace

const Dialect& PredictDialect() {
  static const Dialect dialect{"predict", kRoutes, nullptr, CommonNotFound, CommonMethodNotAllowed};
  return dialect;
}

}  // namespace inferd::frontend::http
