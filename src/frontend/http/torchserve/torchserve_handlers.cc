#include "frontend/http/torchserve/torchserve_handlers.h"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/json_parse.h"
#include "frontend/http/tfserving_codec.h"
#include "frontend/http/torchserve/torchserve_image_hook.h"
#include "frontend/http/torchserve/torchserve_management.h"
#include "frontend/http/torchserve/torchserve_openapi.h"
#include "frontend/http/torchserve/torchserve_status.h"
#include "frontend/http/url_util.h"
#include "rapidjson/stringbuffer.h"

namespace inferd::frontend::http {
namespace bhttp = boost::beast::http;

HttpResponse HandleTorchServePing(const core::InferenceService& service) {
  return service.IsReady() ? TorchServeStatus("Healthy")
                           : TorchServeStatus("Unhealthy", bhttp::status::internal_server_error);
}

namespace {

// JSON when the client says so; image and multipart bodies go to the image hook; an unlabelled
// body (curl's default form type, text/plain) is JSON when it starts like JSON.
bool IsJsonBody(const HttpRequest& request) {
  const auto header = request[bhttp::field::content_type];
  const std::string_view type(header.data(), header.size());
  if (type.find("json") != std::string_view::npos) return true;
  if (type.rfind("image/", 0) == 0 || type.rfind("multipart/", 0) == 0 ||
      type.rfind("application/octet-stream", 0) == 0) {
    return false;
  }
  for (char c : request.body()) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

HttpResponse EncodeOutputs(StatusOr<core::InferenceResponse> result) {
  if (!result.ok()) return TorchServeError(result.status());
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  if (Status s = WriteColumnarValue(result->outputs, writer); !s.ok()) return TorchServeError(s);
  return JsonResponse(bhttp::status::ok, std::string(buffer.GetString(), buffer.GetSize()));
}

void HandleJsonPrediction(const TorchServeContext& context,
                          std::shared_ptr<const HttpRequest> request, std::string model,
                          int64_t version, core::CancellationToken cancel, Respond respond) {
  auto metadata = context.service.GetModelMetadata(model, version);
  if (!metadata.ok()) {
    const bool version_missing = metadata.status().code() == absl::StatusCode::kNotFound &&
                                 version != 0 && context.service.ModelReady(model, 0).ok();
    return std::move(respond)(
        version_missing ? TorchServeError(bhttp::status::not_found, "ModelVersionNotFoundException",
                                          absl::StrCat("Model version: ", version,
                                                       " does not exist for model: ", model))
                        : TorchServeError(metadata.status()));
  }
  auto doc = ParseJson(request->body(), context.limits.max_json_depth);
  if (!doc.ok()) return std::move(respond)(TorchServeError(doc.status()));
  auto inputs = DecodeColumnarValue(*doc, doc->GetAllocator(), metadata->inputs,
                                    static_cast<int64_t>(context.limits.max_input_size));
  if (!inputs.ok()) return std::move(respond)(TorchServeError(inputs.status()));
  auto infer = std::make_unique<core::InferenceRequest>();
  infer->model_name = std::move(model);
  infer->model_version = version;
  infer->inputs = *std::move(inputs);
  infer->body = std::move(request);
  infer->cancellation = std::move(cancel);
  context.service.Infer(std::move(infer), [respond = std::move(respond)](
                                              StatusOr<core::InferenceResponse> result) mutable {
    std::move(respond)(EncodeOutputs(std::move(result)));
  });
}

}  // namespace

void HandleTorchServePredictions(const TorchServeContext& context,
                                 std::shared_ptr<const HttpRequest> request,
                                 std::string_view model_segment,
                                 std::optional<std::string_view> version_segment,
                                 core::CancellationToken cancel, Respond respond) {
  auto model = UrlDecode(model_segment);
  if (!model.has_value() || model->empty()) {
    return std::move(respond)(TorchServeError(bhttp::status::bad_request, "BadRequestException",
                                              "malformed model name in the URL"));
  }
  int64_t version = context.defaults.Get(*model);
  if (version_segment.has_value()) {
    const auto parsed = ParseTorchServeVersion(*version_segment);
    if (!parsed.has_value()) {
      return std::move(respond)(
          TorchServeError(bhttp::status::not_found, "ModelVersionNotFoundException",
                          absl::StrCat("Model version: ", std::string(*version_segment),
                                       " does not exist for model: ", *model)));
    }
    version = *parsed;
  }
  if (request->body().empty()) {
    return std::move(respond)(TorchServeError(bhttp::status::bad_request, "BadRequestException",
                                              "Invalid model input: the request body is empty"));
  }
  if (!IsJsonBody(*request)) {
    return HandleTorchServeImage(context.service, context.predict, std::move(request),
                                 *std::move(model), version, std::move(cancel), std::move(respond));
  }
  HandleJsonPrediction(context, std::move(request), *std::move(model), version, std::move(cancel),
                       std::move(respond));
}

std::optional<int64_t> ParseTorchServeVersion(std::string_view text) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (dot != std::string_view::npos) {
    const std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty() || fraction.find_first_not_of('0') != std::string_view::npos) {
      return std::nullopt;
    }
  }
  int64_t value = 0;
  const auto parsed = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != whole.data() + whole.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace inferd::frontend::http
