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
std::string ClassScoresJson(const std::vector<core::ClassPrediction>& predictions) {
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
    std::move(respond)(JsonResponse(bhttp::status::ok, ClassScoresJson(result->predictions)));
  });
}

}  // namespace inferd::frontend::http
