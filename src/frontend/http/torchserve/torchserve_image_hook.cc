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

// TorchServe's image_classifier answer: {"label": score, ...}, highest first; a text
// recogniser's: {"text": "...", "confidence": c}.
std::string ClassScoresJson(const core::InferenceResponse& response) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  if (response.text.has_value()) {
    writer.Key("text");
    writer.String(response.text->text.c_str(),
                  static_cast<rapidjson::SizeType>(response.text->text.size()));
    writer.Key("confidence");
    WriteJsonFloat(response.text->confidence, writer);
  }
  for (const auto& p : response.predictions) {
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
  if (!predict.image_input) {
    return std::move(respond)(TorchServeError(bhttp::status::unsupported_media_type,
                                              "BadRequestException",
                                              "image input needs a preprocessing pipeline, and "
                                              "image input is not enabled on this server"));
  }
  auto image = UploadedImage(*request, "data");
  if (!image.ok()) return std::move(respond)(Refuse(image.status()));
  auto inference = MakeImageRequest(std::move(model), version, std::move(request), *image);
  inference->cancellation = std::move(cancel);
  service.Infer(std::move(inference), [respond = std::move(respond)](
                                          StatusOr<core::InferenceResponse> result) mutable {
    if (core::IsNoImagePipeline(result.status())) {
      return std::move(respond)(TorchServeError(
          bhttp::status::unsupported_media_type, "BadRequestException",
          "image input needs a preprocessing pipeline (pipeline.json beside the model); send "
          "JSON tensors otherwise: " +
              std::string(result.status().message())));
    }
    if (!result.ok()) return std::move(respond)(Refuse(result.status()));
    if (result->text_lines.has_value()) {
      return std::move(respond)(
          JsonResponse(bhttp::status::ok, TextLinesJson(*result->text_lines)));
    }
    std::move(respond)(JsonResponse(bhttp::status::ok, ClassScoresJson(*result)));
  });
}

}  // namespace inferd::frontend::http
