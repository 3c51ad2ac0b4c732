// Routes as data. Each dialect (kserve/, tfserving/, torchserve/, predict/) declares a table of
// Route rows: method, path pattern -> handler, the endpoint label its responses are counted and
// logged under, its API category (the restriction check), and a one-line description. The
// router (router.h) matches the tables in order; a dialect also says how it answers a path it
// owns but no row matches (its own 404 shape) and a known path with the wrong method.
//
// Patterns are '/'-separated segments: a literal ("models"), a parameter ("{model}": any one
// segment, possibly empty, still URL-encoded), or a parameter followed by a literal suffix
// ("{model}:predict"). Values are plain constants; everything here is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "boost/beast/http/verb.hpp"
#include "core/api_restrictions.h"
#include "core/inference_service.h"
#include "core/shared_memory.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/predict/predict_handler.h"
#include "frontend/http/torchserve/torchserve_defaults.h"
#include "metrics/request_trace.h"

namespace inferd::frontend::http {

class SwaggerUiAssets;

// What every handler may use; owned by the router, outlives every call.
struct RouteContext {
  core::InferenceService& service;
  DecodeLimits limits;
  metrics::Tracer* tracer;  // may be null: tracing not available
  PredictOptions predict;
  TorchServeDefaults torchserve_defaults;
  // The shared-memory extension's regions (core/shared_memory.h); null = extension off.
  core::SharedMemoryRegistry* shared_memory = nullptr;
  // GET /docs's Swagger UI files (openapi/swagger_ui_assets.h); null = not installed.
  const SwaggerUiAssets* docs = nullptr;
  // The restricted APIs the router checks (for handlers that show or hide parts by category,
  // like the console, and the description's security schemes); null = nothing restricted.
  const core::ApiRestrictions* restrictions = nullptr;
};

// The matched path parameters, in pattern order, still URL-encoded.
class PathParams {
 public:
  void Add(std::string_view name, std::string_view value) { values_.push_back({name, value}); }
  // The raw value of `name`; empty when the pattern has no such parameter.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, std::string_view>> values_;
};

// One routed request. Handlers call `respond` exactly once (inline or from a completing thread).
struct RouteCall {
  RouteContext& context;
  std::shared_ptr<const HttpRequest> request;
  PathParams params;
  core::CancellationToken cancel;
  Respond respond;
};

using RouteHandler = void (*)(RouteCall call);

struct Route {
  boost::beast::http::verb method;
  std::string_view pattern;
  RouteHandler handler;
  std::string_view label;  // nv_http_request_count{endpoint=...}, logs
  core::ApiCategory category;
  std::string_view description;  // one line, for the API description
  // "/models/" matches "/models" (TorchServe's management paths accept a trailing slash).
  bool trailing_slash = false;
  // Other methods on this path are a 404, not a 405 (OPTIONS / must not make every GET / a 405).
  bool exclusive_method = false;
  // Set on inference routes whose path names their model. Called with the request head before
  // its body is read: the dialect's 503 + Retry-After when that model would refuse a request now
  // (InferenceService::Admits: queue full, server at its in-flight limit or stopping), so an
  // overloaded server does not read, decode and validate a body only to refuse it. Nothing when
  // the request should be read (also for malformed parameters: the handler answers those).
  std::optional<HttpResponse> (*refuse_on_head)(const RouteContext& context,
                                                const PathParams& params) = nullptr;
};

using RefuseOnHeadFn = std::optional<HttpResponse> (*)(const RouteContext&, const PathParams&);

// `route` with `refuse_on_head` set (a table row stays one expression).
constexpr Route RefusedOnHead(Route route, RefuseOnHeadFn refuse) {
  route.refuse_on_head = refuse;
  return route;
}

// The common part of a route's refuse_on_head: `refuse(Unavailable)`, with Retry-After, when
// `model` (`version` 0 = latest) would not admit a request now; else nothing.
std::optional<HttpResponse> RefuseWhenFull(const RouteContext& context, std::string_view model,
                                           int64_t version,
                                           HttpResponse (*refuse)(const Status& status));
// RefuseWhenFull for a path with {model} and an optional {version} (ModelParam, VersionParam),
// answered in the shape of `Refuse`; nothing when either is malformed.
std::optional<HttpResponse> RefuseModelWhenFull(const RouteContext& context,
                                                const PathParams& params,
                                                HttpResponse (*refuse)(const Status& status));
template <HttpResponse (*Refuse)(const Status& status)>
std::optional<HttpResponse> RefuseModelWhenFull(const RouteContext& context,
                                                const PathParams& params) {
  return RefuseModelWhenFull(context, params, Refuse);
}

struct Dialect {
  std::string_view name;
  std::span<const Route> routes;
  // True for paths this dialect answers itself when no row matches; null = none.
  bool (*owns)(std::string_view path) = nullptr;
  // The dialect's answer for an owned path no row matches (null: the common 404).
  HttpResponse (*not_found)(const HttpRequest& request, std::string_view path) = nullptr;
  // Its answer for a known path with the wrong method; `allow` lists the path's methods.
  HttpResponse (*method_not_allowed)(const HttpRequest& request, std::string_view path,
                                     std::string_view allow) = nullptr;
};

// The names of a pattern's parameters, in order ("{model}" -> "model").
std::vector<std::string_view> PatternParameters(std::string_view pattern);

// A pattern split once into segments, matched against request paths.
class CompiledPattern {
 public:
  explicit CompiledPattern(std::string_view pattern);
  // True when `path` (starting with '/', no query) matches; fills `params` (views into `path`).
  bool Match(std::string_view path, PathParams& params) const;
  // The same for a router that matches one path against every pattern: `slashes` is the number
  // of '/' in `path`, counted once by the caller (a pattern of another length fails at once).
  bool Match(std::string_view path, size_t slashes, PathParams& params) const;

 private:
  struct Segment {
    std::string_view literal;    // the whole segment, or the suffix after a parameter
    std::string_view parameter;  // empty: a literal segment
  };
  std::vector<Segment> segments_;
};

// KServe-style path parameters: "model" URL-decoded and non-empty ("malformed model name in the
// URL"), "version" a positive integer (0 when the pattern has none). InvalidArgument otherwise.
StatusOr<std::string> ModelParam(const PathParams& params);
StatusOr<int64_t> VersionParam(const PathParams& params);

// The common error answers (KServe's shape): {"error": "Not Found"} and 405 with Allow.
HttpResponse CommonNotFound(const HttpRequest& request, std::string_view path);
HttpResponse CommonMethodNotAllowed(const HttpRequest& request, std::string_view path,
                                    std::string_view allow);

// Every dialect's table, in match order: predict, TF Serving, TorchServe, KServe, console,
// docs.
const std::vector<const Dialect*>& AllDialects();

}  // namespace inferd::frontend::http
