#include "frontend/http/tfserving/tfserving_handlers.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "frontend/http/tfserving/tfserving_json.h"
#include "frontend/http/tfserving_codec.h"
#include "frontend/http/url_util.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

// A parsed /v1/models/... path.
struct TfsPath {
  std::string model;
  int64_t version = 0;  // 0 = latest (or the label's)
  std::optional<std::string> label;
  std::string verb;  // "predict", "classify", "regress", or "" for status
  bool metadata = false;
};

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<int64_t> ParsePositive(std::string_view text) {
  int64_t value = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

// nullopt = not a path of the API (TF Serving's "Malformed request"). A raw ':' in a segment
// would have been a verb separator, so it is malformed wherever it is left.
std::optional<TfsPath> ParseTfsPath(const TfsRoute& route) {
  const auto has_colon = [](std::optional<std::string_view> s) {
    return s.has_value() && s->find(':') != std::string_view::npos;
  };
  if (has_colon(route.model) || has_colon(route.version) || has_colon(route.label)) {
    return std::nullopt;
  }
  TfsPath parsed;
  parsed.verb = std::string(route.verb);
  parsed.metadata = route.metadata;
  auto model = UrlDecode(route.model);
  if (!model.has_value() || model->empty()) return std::nullopt;
  parsed.model = *std::move(model);
  if (route.version.has_value()) {
    auto version = ParsePositive(*route.version);
    if (!version.has_value()) return std::nullopt;
    parsed.version = *version;
  } else if (route.label.has_value()) {
    auto label = UrlDecode(*route.label);
    if (!label.has_value() || label->empty()) return std::nullopt;
    parsed.label = *std::move(label);
  }
  return parsed;
}

StatusOr<int64_t> ResolveVersion(const core::InferenceService& service, const TfsPath& path) {
  if (!path.label.has_value()) return path.version;
  ASSIGN_OR_RETURN(const auto config, service.GetModelConfig(path.model, 0));
  return VersionForLabel(config, *path.label);
}

HttpResponse JsonOrError(StatusOr<std::string> body) {
  if (!body.ok()) return TfsErrorResponse(body.status());
  return JsonResponse(bhttp::status::ok, *std::move(body));
}

void HandlePredict(core::InferenceService& service, const DecodeLimits& limits,
                   std::shared_ptr<const HttpRequest> request, const TfsPath& path, int64_t version,
                   core::CancellationToken cancel, Respond respond) {
  auto metadata = service.GetModelMetadata(path.model, version);
  if (!metadata.ok()) return std::move(respond)(TfsErrorResponse(metadata.status()));
  auto decoded = DecodeTfsPredictRequest(request->body(), metadata->inputs, limits);
  if (!decoded.ok()) return std::move(respond)(TfsErrorResponse(decoded.status()));
  auto infer = std::make_unique<core::InferenceRequest>();
  infer->model_name = path.model;
  infer->model_version = version;
  infer->inputs = std::move(decoded->inputs);
  infer->body = std::move(request);
  infer->cancellation = std::move(cancel);
  service.Infer(std::move(infer), [format = decoded->format, batch_size = decoded->batch_size,
                                   respond = std::move(respond)](
                                      StatusOr<core::InferenceResponse> result) mutable {
    if (!result.ok()) return std::move(respond)(TfsErrorResponse(result.status()));
    std::move(respond)(JsonOrError(EncodeTfsPredictResponse(*result, format, batch_size)));
  });
}

HttpResponse Malformed(const HttpRequest& request, std::string_view path) {
  return TfsErrorResponse(absl::InvalidArgumentError(absl::StrCat(
      "Malformed request: ", std::string(request.method_string()), " ", std::string(path))));
}

}  // namespace

StatusOr<int64_t> VersionForLabel(const ::inference::ModelConfig& config, std::string_view label) {
  const auto it = config.parameters().find(kVersionLabelsParameter);
  if (it != config.parameters().end()) {
    for (std::string_view pair : Split(it->second.string_value(), ',')) {
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != label) continue;
      const std::string_view number = Trim(pair.substr(eq + 1));
      if (auto version = ParsePositive(number); version.has_value()) return *version;
      return absl::InvalidArgumentError(
          absl::StrCat("model '", config.name(), "' parameter '", kVersionLabelsParameter,
                       "': label '", std::string(label), "' does not name a positive version"));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("Unrecognized servable version label: ", std::string(label)));
}

HttpResponse TfsMalformed(const HttpRequest& request, std::string_view path) {
  return Malformed(request, path);
}

void HandleTfServing(core::InferenceService& service, const DecodeLimits& limits,
                     std::shared_ptr<const HttpRequest> request, const TfsRoute& route,
                     core::CancellationToken cancel, Respond respond) {
  const std::optional<TfsPath> parsed = ParseTfsPath(route);
  const bool is_verb = !route.verb.empty();
  if (!parsed.has_value()) {
    std::string_view target(request->target().data(), request->target().size());
    return std::move(respond)(Malformed(*request, target.substr(0, target.find('?'))));
  }
  if (parsed->verb == "classify" || parsed->verb == "regress") {
    return std::move(respond)(TfsErrorResponse(absl::UnimplementedError(
        absl::StrCat(parsed->verb,
                     " takes tf.Example inputs, which inferd does not serve: use "
                     ":predict"))));
  }
  const StatusOr<int64_t> version = ResolveVersion(service, *parsed);
  if (!version.ok()) return std::move(respond)(TfsErrorResponse(version.status()));
  if (is_verb) {
    return HandlePredict(service, limits, std::move(request), *parsed, *version, std::move(cancel),
                         std::move(respond));
  }
  if (parsed->metadata) {
    return std::move(respond)(JsonOrError(TfsModelMetadataJson(service, parsed->model, *version)));
  }
  std::move(respond)(JsonOrError(TfsModelStatusJson(service, parsed->model, *version)));
}

}  // namespace inferd::frontend::http
