#include "frontend/http/router.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "common/logging.h"
#include "frontend/http/console/console_routes.h"
#include "frontend/http/endpoint_label.h"
#include "frontend/http/http_content_coding.h"
#include "frontend/http/kserve/kserve_routes.h"
#include "frontend/http/openapi/docs_routes.h"
#include "frontend/http/predict/predict_routes.h"
#include "frontend/http/tfserving/tfserving_routes.h"
#include "frontend/http/torchserve/torchserve_routes.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

std::string_view PathOf(const HttpRequest& request) {
  const std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

std::optional<std::string_view> HeaderOf(const HttpRequest& request, std::string_view name) {
  const auto it = request.find(boost::beast::string_view(name.data(), name.size()));
  if (it == request.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

}  // namespace

const std::vector<const Dialect*>& AllDialects() {
  static const std::vector<const Dialect*> dialects = {&PredictDialect(),    &TfServingDialect(),
                                                       &TorchServeDialect(), &KServeDialect(),
                                                       &ConsoleDialect(),    &DocsDialect()};
  return dialects;
}

Router::Router(core::InferenceService& service, DecodeLimits limits, metrics::Tracer* tracer,
               PredictOptions predict, RouterOptions options)
    : context_{service, limits, tracer, std::move(predict), {}, options.shared_memory},
      options_(std::move(options)) {
  context_.docs = options_.docs.get();
  context_.restrictions = &options_.restrictions;
  for (const Dialect* dialect : AllDialects()) {
    for (const Route& route : dialect->routes) {
      routes_.push_back(
          {&route, dialect, CompiledPattern(route.pattern), HttpEndpointIndex(route.label)});
    }
  }
}

Router::Match Router::MatchPath(bhttp::verb method, std::string_view path) const {
  Match match;
  const size_t slashes = static_cast<size_t>(std::count(path.begin(), path.end(), '/'));
  const bool trailing_slash = path.size() > 1 && path.back() == '/';
  for (const Compiled& compiled : routes_) {
    PathParams params;
    const bool trim = compiled.route->trailing_slash && trailing_slash;
    const std::string_view candidate = trim ? path.substr(0, path.size() - 1) : path;
    if (!compiled.pattern.Match(candidate, trim ? slashes - 1 : slashes, params)) continue;
    if (compiled.route->exclusive_method && compiled.route->method != method) continue;
    if (match.path_match == nullptr) match.path_match = &compiled;
    const auto verb = bhttp::to_string(compiled.route->method);
    const std::string_view name(verb.data(), verb.size());
    if (match.allow.find(name) == std::string::npos) {
      if (!match.allow.empty()) match.allow += ", ";
      match.allow.append(name.data(), name.size());
    }
    if (compiled.route->method == method) {
      match.route = &compiled;
      match.params = std::move(params);
      return match;
    }
  }
  return match;
}

const Route* Router::Find(bhttp::verb method, std::string_view target) const {
  const Match match = MatchPath(method, target.substr(0, target.find('?')));
  return match.route == nullptr ? nullptr : match.route->route;
}

// 405 in the dialect's shape for a known path, else the owning dialect's 404, else the common 404.
HttpResponse Router::Unrouted(const HttpRequest& request, std::string_view path, const Match& match,
                              size_t& endpoint) const {
  if (match.path_match != nullptr) {
    endpoint = match.path_match->endpoint;
    return match.path_match->dialect->method_not_allowed(request, path, match.allow);
  }
  endpoint = HttpEndpointIndex(kNotFoundEndpoint);
  for (const Dialect* dialect : AllDialects()) {
    if (dialect->owns != nullptr && dialect->owns(path)) return dialect->not_found(request, path);
  }
  return CommonNotFound(request, path);
}

// Counts the response under the route's label and logs it (verbose 1); never logs headers, so a
// restricted API's key value cannot reach a log.
Respond Router::Observed(Respond respond, size_t endpoint) const {
  metrics::StatusCounters* counters = options_.counters;
  const bool verbose = logging::VerboseEnabled(1);
  if (counters == nullptr && !verbose) return respond;
  return
      [counters, verbose, endpoint, respond = std::move(respond)](HttpResponse response) mutable {
        if (counters != nullptr) counters->Increment(endpoint, response.result_int());
        if (verbose) {
          const std::string code = std::to_string(response.result_int());
          logging::Log(spdlog::level::debug, "HTTP request answered",
                       {{"endpoint", HttpEndpoints()[endpoint]}, {"status", code}});
        }
        std::move(respond)(std::move(response));
      };
}

bool Router::ApplyCors(const HttpRequest& request, std::string_view path, Respond& respond) const {
  const CorsPolicy& cors = options_.cors;
  std::optional<std::string> origin = cors.AllowOrigin(HeaderOf(request, "origin"));
  if (origin.has_value() && CorsPolicy::IsPreflight(request)) {
    // Every method the path serves (no route has the method "unknown", so none stops the scan).
    const Match match = MatchPath(bhttp::verb::unknown, path);
    if (match.path_match != nullptr) {
      Observed(std::move(respond),
               match.path_match->endpoint)(cors.Preflight(*origin, match.allow));
      return true;
    }
  }
  respond = [varies = cors.varies_by_origin(), origin = std::move(origin),
             respond = std::move(respond)](HttpResponse response) mutable {
    CorsPolicy::Decorate(response, origin, varies);
    std::move(respond)(std::move(response));
  };
  return false;
}

std::optional<HttpResponse> Router::RefuseOnHead(const HttpRequest& head) const {
  const std::string_view path = PathOf(head);
  const Match match = MatchPath(head.method(), path);
  if (match.route == nullptr || match.route->route->refuse_on_head == nullptr) return std::nullopt;
  const Status allowed = options_.restrictions.Check(
      match.route->route->category, [&](std::string_view name) { return HeaderOf(head, name); });
  if (!allowed.ok()) return std::nullopt;
  std::optional<HttpResponse> refusal = match.route->route->refuse_on_head(context_, match.params);
  if (!refusal.has_value()) return std::nullopt;
  // The same decoration and counting as a handled request's answer, run inline.
  std::optional<HttpResponse> answer;
  Respond respond = [&answer](HttpResponse response) { answer = std::move(response); };
  if (options_.cors.enabled()) ApplyCors(head, path, respond);  // a POST: never a preflight
  Observed(std::move(respond), match.route->endpoint)(*std::move(refusal));
  return answer;
}

void Router::Handle(std::shared_ptr<const HttpRequest> request, Respond respond,
                    core::CancellationToken cancel) {
  const std::string_view path = PathOf(*request);
  // A preflight carries no credentials (restricted-API headers): it is answered before routing.
  if (options_.cors.enabled() && ApplyCors(*request, path, respond)) return;
  Match match = MatchPath(request->method(), path);
  if (match.route == nullptr) {
    size_t endpoint = 0;
    HttpResponse response = Unrouted(*request, path, match, endpoint);
    return Observed(std::move(respond), endpoint)(std::move(response));
  }
  const Compiled& route = *match.route;
  Respond observed = Observed(std::move(respond), route.endpoint);
  const Status allowed = options_.restrictions.Check(
      route.route->category, [&](std::string_view name) { return HeaderOf(*request, name); });
  if (!allowed.ok()) {
    return std::move(observed)(
        ErrorResponse(bhttp::status::forbidden, std::string(allowed.message())));
  }
  // Compression is below every dialect: decoded bodies in, encoded responses out. After the
  // restriction check, so a refused caller never makes the server inflate its body.
  const HttpRequest* const encoded = request.get();
  if (!ApplyContentCoding(request, observed, context_.limits.max_input_size)) return;
  // A decoded body is a new request: the path parameters must point into the one that lives on.
  if (request.get() != encoded)
    match.params = MatchPath(request->method(), PathOf(*request)).params;
  route.route->handler(RouteCall{context_, std::move(request), std::move(match.params),
                                 std::move(cancel), std::move(observed)});
}

}  // namespace inferd::frontend::http
