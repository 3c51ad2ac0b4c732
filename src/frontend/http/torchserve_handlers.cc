#include "frontend/http/torchserve_handlers.h"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/json_parse.h"
#include "frontend/http/tfserving_codec.h"
#include "frontend/http/torchserve_image_hook.h"
#include "frontend/http/torchserve_management.h"
#include "frontend/http/torchserve_openapi.h"
#include "frontend/http/torchserve_status.h"
#include "frontend/http/url_util.h"
#include "rapidjson/stringbuffer.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);  // the leading '/'
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

HttpResponse MethodNotAllowed() {
  return TorchServeError(bhttp::status::method_not_allowed, "MethodNotAllowedException",
                         "Requested method is not allowed, please refer to API document.");
}

HttpResponse HandlePing(const core::InferenceService& service) {
  return service.IsReady() ? TorchServeStatus("Healthy")
                           : TorchServeStatus("Unhealthy", bhttp::status::internal_server_error);
}

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

void HandlePredictions(const TorchServeContext& context, std::shared_ptr<const HttpRequest> request,
                       const std::vector<std::string_view>& segments,
                       core::CancellationToken cancel, Respond respond) {
  auto model = UrlDecode(segments[1]);
  if (!model.has_value() || model->empty()) {
    return std::move(respond)(TorchServeError(bhttp::status::bad_request, "BadRequestException",
                                              "malformed model name in the URL"));
  }
  int64_t version = context.defaults.Get(*model);
  if (segments.size() == 3) {
    const auto parsed = ParseTorchServeVersion(segments[2]);
    if (!parsed.has_value()) {
      return std::move(respond)(
          TorchServeError(bhttp::status::not_found, "ModelVersionNotFoundException",
                          absl::StrCat("Model version: ", std::string(segments[2]),
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

}  // namespace

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

bool IsTorchServePath(std::string_view path, bhttp::verb method) {
  if (path == "/") return method == bhttp::verb::options;
  const std::vector<std::string_view> segments = SplitSegments(path);
  if (segments[0] == "ping") return segments.size() == 1;
  if (segments[0] == "predictions") return segments.size() == 2 || segments.size() == 3;
  return segments[0] == "models";
}

void HandleTorchServe(const TorchServeContext& context, std::shared_ptr<const HttpRequest> request,
                      core::CancellationToken cancel, Respond respond) {
  std::string_view target(request->target().data(), request->target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  const bhttp::verb method = request->method();
  if (path == "/") return std::move(respond)(TorchServeApiDescription());
  const std::vector<std::string_view> segments = SplitSegments(path);
  if (segments[0] == "ping") {
    return std::move(respond)(method == bhttp::verb::get || method == bhttp::verb::post
                                  ? HandlePing(context.service)
                                  : MethodNotAllowed());
  }
  if (segments[0] == "predictions") {
    if (method != bhttp::verb::post && method != bhttp::verb::put) {
      return std::move(respond)(MethodNotAllowed());
    }
    return HandlePredictions(context, std::move(request), segments, std::move(cancel),
                             std::move(respond));
  }
  HandleTorchServeManagement(context, std::move(request), std::move(respond));
}

}  // namespace inferd::frontend::http
