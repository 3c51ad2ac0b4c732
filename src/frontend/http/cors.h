// Cross-origin resource sharing, opt in (--http-cors-allow-origin, repeatable): lets a web page
// served from another origin call the API from a browser. With no origin configured nothing
// changes: no CORS header is ever sent and preflights get the router's ordinary answer (no
// grant). With origins configured, a request whose Origin is allowed gets
// Access-Control-Allow-Origin and the exposed headers; its preflight (OPTIONS with
// Access-Control-Request-Method) is answered 200 with the path's methods and the headers a
// client may send. A plain OPTIONS (TorchServe's OPTIONS / description) is not a preflight and is
// routed as before. "*" allows every origin and is only used when configured. Immutable after
// construction; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/api_restrictions.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

// OK for "*" or an origin "scheme://host[:port]" (http or https, no path); InvalidArgument
// saying why otherwise (the flag parser names the flag).
Status ValidateCorsOrigin(std::string_view origin);

class CorsPolicy {
 public:
  CorsPolicy() = default;  // off
  // `origins` must pass ValidateCorsOrigin. The restricted APIs' header names are allowed in
  // requests, so a browser can send them.
  CorsPolicy(std::vector<std::string> origins, const core::ApiRestrictions& restrictions);

  bool enabled() const { return !origins_.empty(); }
  // The Access-Control-Allow-Origin value for a request's Origin header; nullopt: no grant.
  std::optional<std::string> AllowOrigin(std::optional<std::string_view> origin) const;

  // OPTIONS carrying Origin and Access-Control-Request-Method.
  static bool IsPreflight(const HttpRequest& request);
  // 200 (empty) granting `allow_origin` the methods `methods` ("GET, POST").
  HttpResponse Preflight(std::string_view allow_origin, std::string_view methods) const;
  // Whether answers depend on Origin (not with "*"): Vary: Origin for caches.
  bool varies_by_origin() const { return !any_origin_; }
  // Adds the CORS headers of an actual (non-preflight) response. Static, so a completion that
  // runs late needs nothing of the policy.
  static void Decorate(HttpResponse& response, const std::optional<std::string>& allow_origin,
                       bool varies_by_origin);

 private:
  std::vector<std::string> origins_;
  bool any_origin_ = false;
  std::string allow_headers_;
};

}  // namespace inferd::frontend::http
