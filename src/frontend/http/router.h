// Maps a REST request (method + path) to the handler of the route that serves it, by matching
// the dialects' route tables (route_table.h): predict/, tfserving/, torchserve/, kserve/ and
// console/, in that order, first row whose pattern and method match. Before the handler runs, the
// router checks the route's API category against the restricted APIs (403 naming the header), and
// it counts and logs every response under the matched route's endpoint label. A path no row matches
// is 404 (label "not_found"; a dialect that owns the path answers in its own shape); a known path
// with the wrong method is 405. Thread-safe; the facade must outlive the router.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/api_restrictions.h"
#include "core/inference_service.h"
#include "frontend/http/cors.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/openapi/swagger_ui_assets.h"
#include "frontend/http/predict/predict_handler.h"
#include "frontend/http/route_table.h"
#include "metrics/request_trace.h"
#include "metrics/status_counters.h"

namespace inferd::frontend::http {

struct RouterOptions {
  core::ApiRestrictions restrictions;  // --http-restricted-api; empty = nothing restricted
  // When set, every routed response is counted by endpoint label (endpoint_label.h) and HTTP
  // status; must outlive the router.
  metrics::StatusCounters* counters = nullptr;
  // The shared-memory extension's regions; null = off. Must outlive the router.
  core::SharedMemoryRegistry* shared_memory = nullptr;
  CorsPolicy cors;  // --http-cors-allow-origin; default: off (cors.h)
  // GET /docs's files; null: /docs answers 404 naming --http-docs-dir.
  std::shared_ptr<const SwaggerUiAssets> docs;
};

class Router {
 public:
  // `tracer` (may be null) serves /v2/trace/setting; `predict` serves /predict (image models).
  Router(core::InferenceService& service, DecodeLimits limits, metrics::Tracer* tracer = nullptr,
         PredictOptions predict = {}, RouterOptions options = {});
  // The context points into the router's own options.
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Calls `respond` exactly once: inline for most calls; from the completing thread for
  // inference and repository load/unload.
  // `cancel` is set by the connection when its client goes away; inference requests carry it.
  void Handle(std::shared_ptr<const HttpRequest> request, Respond respond,
              core::CancellationToken cancel = nullptr);

  // Called by the session with a request's head, before its body is read: the answer (counted,
  // with CORS headers) when the route refuses it on its head (Route::refuse_on_head: its model
  // would refuse a request now); nothing when the request should be read and handled. A caller
  // the restricted APIs refuse is never refused here (Handle answers it 403).
  std::optional<HttpResponse> RefuseOnHead(const HttpRequest& head) const;

  // The route that serves `method` on `target` (query ignored); null when none does. For tests
  // and tools that walk the tables.
  const Route* Find(boost::beast::http::verb method, std::string_view target) const;

 private:
  struct Compiled {
    const Route* route;
    const Dialect* dialect;
    CompiledPattern pattern;
    size_t endpoint;  // index into HttpEndpoints()
  };
  struct Match {
    const Compiled* route = nullptr;       // pattern and method match
    const Compiled* path_match = nullptr;  // the first pattern match (for 405)
    std::string allow;                     // methods of every pattern match
    PathParams params;
  };
  Match MatchPath(boost::beast::http::verb method, std::string_view path) const;
  HttpResponse Unrouted(const HttpRequest& request, std::string_view path, const Match& match,
                        size_t& endpoint) const;
  Respond Observed(Respond respond, size_t endpoint) const;
  // CORS (cors.h): true when `request` was a preflight this answered; else wraps `respond` to
  // add the response's CORS headers.
  bool ApplyCors(const HttpRequest& request, std::string_view path, Respond& respond) const;

  RouteContext context_;
  RouterOptions options_;
  std::vector<Compiled> routes_;
};

}  // namespace inferd::frontend::http
