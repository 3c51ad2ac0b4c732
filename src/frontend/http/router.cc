#include "frontend/http/router.h"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/http_content_coding.h"
#include "frontend/http/infer_handler.h"
#include "frontend/http/kserve_v2_handlers.h"
#include "frontend/http/observability_handlers.h"
#include "frontend/http/repository_handlers.h"
#include "frontend/http/tfserving_handlers.h"
#include "frontend/http/torchserve_handlers.h"
#include "frontend/http/url_util.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

// A parsed /v2/models/... path.
struct ModelPath {
  std::string name;
  int64_t version = 0;
  std::string_view action;  // "", "ready", "config", "infer", "stats"
};

// nullopt = not a model path we serve (404); an error = a malformed name or version (400).
std::optional<StatusOr<ModelPath>> ParseModelPath(const std::vector<std::string_view>& segments) {
  if (segments.size() < 3 || segments[1] != "models") return std::nullopt;
  ModelPath path;
  size_t next = 3;
  if (segments.size() >= 5 && segments[3] == "versions") {
    const std::string_view text = segments[4];
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), path.version);
    if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || path.version <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("model version '", std::string(segments[4]), "' is not a positive integer"));
    }
    next = 5;
  }
  if (segments.size() > next + 1) return std::nullopt;
  if (segments.size() == next + 1) path.action = segments[next];
  if (path.action != "" && path.action != "ready" && path.action != "config" &&
      path.action != "infer" && path.action != "stats") {
    return std::nullopt;
  }
  auto name = UrlDecode(segments[2]);
  if (!name.has_value() || name->empty()) {
    return absl::InvalidArgumentError("malformed model name in the URL");
  }
  path.name = *std::move(name);
  return path;
}

// /predict (the default model), /predict/{m}, /predict/{m}/versions/{v}.
std::optional<StatusOr<ModelPath>> ParsePredictPath(const std::vector<std::string_view>& segments) {
  if (segments.size() == 1 || (segments.size() == 2 && segments[1].empty())) return ModelPath{};
  std::vector<std::string_view> as_model_path = {"v2", "models"};
  as_model_path.insert(as_model_path.end(), segments.begin() + 1, segments.end());
  auto path = ParseModelPath(as_model_path);
  if (path.has_value() && path->ok() && !(*path)->action.empty()) return std::nullopt;
  return path;
}

HttpResponse NotFound() { return ErrorResponse(bhttp::status::not_found, "Not Found"); }

HttpResponse MethodNotAllowed(std::string_view allowed) {
  HttpResponse response = ErrorResponse(bhttp::status::method_not_allowed, "Method Not Allowed");
  response.set(bhttp::field::allow, boost::beast::string_view(allowed.data(), allowed.size()));
  return response;
}

}  // namespace

Router::Router(core::InferenceService& service, DecodeLimits limits, metrics::Tracer* tracer,
               PredictOptions predict)
    : service_(service), limits_(limits), tracer_(tracer), predict_(std::move(predict)) {}

void Router::Handle(std::shared_ptr<const HttpRequest> request, Respond respond,
                    core::CancellationToken cancel) {
  // Compression is below every dialect: decoded bodies in, encoded responses out.
  if (!ApplyContentCoding(request, respond, limits_.max_input_size)) return;
  std::string_view target(request->target().data(), request->target().size());
  target = target.substr(0, target.find('?'));
  if (target.empty() || target[0] != '/') {
    std::move(respond)(NotFound());
    return;
  }
  const std::vector<std::string_view> segments = SplitPath(target.substr(1));
  const bhttp::verb method = request->method();
  const bool get = method == bhttp::verb::get;
  const bool post = method == bhttp::verb::post;
  auto reply = [&](HttpResponse response) { std::move(respond)(std::move(response)); };

  if (!segments.empty() && segments[0] == "health" && segments.size() == 1) {
    return reply(get ? HandleHealth(service_) : MethodNotAllowed("GET"));
  }
  if (!segments.empty() && segments[0] == "predict") {
    auto path = ParsePredictPath(segments);
    if (!path.has_value()) return reply(NotFound());
    if (!path->ok()) return reply(ErrorResponse(path->status()));
    if (!post) return reply(MethodNotAllowed("POST"));
    return HandlePredict(service_, predict_, *request, std::move((*path)->name), (*path)->version,
                         std::move(cancel), std::move(respond));
  }
  // The TF Serving and TorchServe dialects own their paths (/v1/..., /ping, /predictions/...,
  // /models..., OPTIONS /) and their error shapes.
  if (segments[0] == "v1") {
    return HandleTfServing(service_, limits_, std::move(request), std::move(cancel),
                           std::move(respond));
  }
  if (IsTorchServePath(target, method)) {
    return HandleTorchServe({service_, limits_, torchserve_defaults_, predict_}, std::move(request),
                            std::move(cancel), std::move(respond));
  }
  if (segments.empty() || segments[0] != "v2") {
    return reply(NotFound());
  }
  if (segments.size() == 1)
    return reply(get ? HandleServerMetadata(service_) : MethodNotAllowed("GET"));
  if (segments.size() == 3 && segments[1] == "health" &&
      (segments[2] == "live" || segments[2] == "ready")) {
    if (!get) return reply(MethodNotAllowed("GET"));
    return reply(segments[2] == "live" ? HandleHealthLive(service_) : HandleHealthReady(service_));
  }
  if (segments.size() == 2 && segments[1] == "logging") {
    if (get) return reply(HandleLoggingGet());
    return reply(post ? HandleLoggingPost(request->body()) : MethodNotAllowed("GET, POST"));
  }
  if (segments.size() == 3 && segments[1] == "trace" && segments[2] == "setting") {
    if (get) return reply(HandleTraceGet(tracer_));
    return reply(post ? HandleTracePost(tracer_, request->body()) : MethodNotAllowed("GET, POST"));
  }
  if (segments.size() == 3 && segments[1] == "repository" && segments[2] == "index") {
    return reply(post ? HandleRepositoryIndex(service_, request->body())
                      : MethodNotAllowed("POST"));
  }
  if (segments.size() == 5 && segments[1] == "repository" && segments[2] == "models" &&
      (segments[4] == "load" || segments[4] == "unload")) {
    if (!post) return reply(MethodNotAllowed("POST"));
    auto name = UrlDecode(segments[3]);
    if (!name.has_value() || name->empty()) {
      return reply(ErrorResponse(absl::InvalidArgumentError("malformed model name in the URL")));
    }
    const std::string_view body = request->body();
    return segments[4] == "load"
               ? HandleRepositoryLoad(service_, *std::move(name), body, std::move(respond))
               : HandleRepositoryUnload(service_, *std::move(name), body, std::move(respond));
  }
  // As Triton: /v2/models/stats is every model's statistics (a model named "stats" keeps its
  // versioned and action paths).
  if (segments.size() == 3 && segments[1] == "models" && segments[2] == "stats") {
    return reply(get ? HandleModelStatistics(service_, "", 0) : MethodNotAllowed("GET"));
  }
  auto parsed = ParseModelPath(segments);
  if (!parsed.has_value()) return reply(NotFound());
  if (!parsed->ok()) return reply(ErrorResponse(parsed->status()));
  ModelPath& path = **parsed;
  if (path.action == "infer") {
    if (!post) return reply(MethodNotAllowed("POST"));
    return HandleInfer(service_, limits_, std::move(request), std::move(path.name), path.version,
                       std::move(cancel), std::move(respond), predict_.assets);
  }
  if (!get) return reply(MethodNotAllowed("GET"));
  if (path.action == "ready") return reply(HandleModelReady(service_, path.name, path.version));
  if (path.action == "config") return reply(HandleModelConfig(service_, path.name, path.version));
  if (path.action == "stats") {
    return reply(HandleModelStatistics(service_, path.name, path.version));
  }
  return reply(HandleModelMetadata(service_, path.name, path.version));
}

}  // namespace inferd::frontend::http
