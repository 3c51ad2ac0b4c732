#include "frontend/http/predict/predict_handler.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/image_request.h"
#include "frontend/http/multipart.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

HttpResponse PredictResponse(StatusOr<core::InferenceResponse> result) {
  if (!result.ok()) return ErrorResponse(result.status());
  return JsonResponse(bhttp::status::ok, PredictionsJson(*result));
}

}  // namespace

StatusOr<std::string_view> UploadedImage(const HttpRequest& request, std::string_view field) {
  const std::string_view body = request.body();
  std::string_view content_type;
  if (auto it = request.find(bhttp::field::content_type); it != request.end()) {
    content_type = std::string_view(it->value().data(), it->value().size());
  }
  ASSIGN_OR_RETURN(const std::string boundary, MultipartBoundary(content_type));
  if (boundary.empty()) return body;
  return MultipartField(body, boundary, field);
}

void HandlePredict(core::InferenceService& service, const PredictOptions& options,
                   std::shared_ptr<const HttpRequest> request, std::string model, int64_t version,
                   core::CancellationToken cancel, Respond respond) {
  if (!options.image_input) {
    std::move(respond)(
        ErrorResponse(bhttp::status::not_implemented, "image prediction is not enabled"));
    return;
  }
  if (model.empty()) model = options.default_model;
  if (model.empty()) {
    std::move(respond)(ErrorResponse(
        bhttp::status::not_found,
        "no default model: use POST /predict/{model} or start inferd with --default-model"));
    return;
  }
  auto image = UploadedImage(*request, "file");
  if (!image.ok()) {
    std::move(respond)(ErrorResponse(image.status()));
    return;
  }
  auto inference = MakeImageRequest(std::move(model), version, std::move(request), *image);
  inference->cancellation = std::move(cancel);
  service.Infer(std::move(inference),
                [respond = std::move(respond)](StatusOr<core::InferenceResponse> result) mutable {
                  std::move(respond)(PredictResponse(std::move(result)));
                });
}

HttpResponse HandleHealth(const core::InferenceService& service) {
  if (!service.IsLive()) {
    return JsonResponse(bhttp::status::service_unavailable, R"({"status":"down"})");
  }
  return JsonResponse(bhttp::status::ok, absl::StrCat(R"({"status":"ok","ready":)",
                                                      service.IsReady() ? "true" : "false", "}"));
}

}  // namespace inferd::frontend::http
