#include "frontend/http/torchserve/torchserve_image_hook.h"

#include <utility>

#include "frontend/http/image_request.h"
#include "frontend/http/json_tensor.h"
#include "frontend/http/torchserve/torchserve_status.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

HttpResponse Refuse(const Status& status) { return TorchServeError(status); }

// TorchServe's image_classifier answer: {"label": score, ...}, highest first.
std::string ClassScoresJson(const std::vector<ClassPrediction>& predictions) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  for (const auto& p : predictions) {
    writer.Key(p.label.data(), static_cast<rapidjson::SizeType>(p.label.size()));
    WriteJsonFloat(p.score, writer);  // never an invalid NaN/Infinity token
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

void HandleTorchServeImage(core::InferenceService& service, const PredictOptions& predict,
                           std::shared_ptr<const HttpRequest> request, std::string model,
                           int64_t version, core::CancellationToken cancel, Respond respond) {
  if (predict.assets == nullptr) {
    return std::move(respond)(TorchServeError(bhttp::status::unsupported_media_type,
                                              "BadRequestException",
                                              "image input needs a preprocessing pipeline, and "
                                              "image input is not enabled on this server"));
  }
  auto image_model = LoadImageModel(*predict.assets, model, version);
  if (!image_model.ok()) {
    if (absl::IsInvalidArgument(image_model.status())) {
      return std::move(respond)(TorchServeError(
          bhttp::status::unsupported_media_type, "BadRequestException",
          "image input needs a preprocessing pipeline (pipeline.json beside the model); send "
          "JSON tensors otherwise: " +
              std::string(image_model.status().message())));
    }
    return std::move(respond)(Refuse(image_model.status()));
  }
  auto image = UploadedImage(*request, "data");
  if (!image.ok()) return std::move(respond)(Refuse(image.status()));
  auto inference = MakeImageRequest(**image_model, *image);
  if (!inference.ok()) return std::move(respond)(Refuse(inference.status()));
  (*inference)->cancellation = std::move(cancel);
  // The request's tensors view the decoded image it owns; `request` (the body) is no longer read.
  service.Infer(
      *std::move(inference), [model = *std::move(image_model), respond = std::move(respond)](
                                 StatusOr<core::InferenceResponse> result) mutable {
        if (!result.ok()) return std::move(respond)(Refuse(result.status()));
        auto predictions = TopPredictions(*result, *model);
        if (!predictions.ok()) return std::move(respond)(Refuse(predictions.status()));
        std::move(respond)(JsonResponse(bhttp::status::ok, ClassScoresJson(*predictions)));
      });
}

}  // namespace inferd::frontend::http
