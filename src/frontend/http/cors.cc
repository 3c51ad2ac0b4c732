#include "frontend/http/cors.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "boost/beast/http/field.hpp"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

// Headers a browser may send beyond the CORS-safelisted ones: JSON bodies, compressed bodies and
// the binary tensor extension's header length.
constexpr std::string_view kAllowHeaders =
    "Content-Type, Content-Encoding, Accept-Encoding, Inference-Header-Content-Length";
// Response headers a page may read: the binary tensor split and the body's coding.
constexpr std::string_view kExposeHeaders =
    "Inference-Header-Content-Length, Content-Encoding, Content-Length, Allow";
constexpr std::string_view kMaxAge = "600";

boost::beast::string_view BeastView(std::string_view text) { return {text.data(), text.size()}; }

std::optional<std::string_view> CorsHeader(const HttpRequest& request, bhttp::field field) {
  const auto it = request.find(field);
  if (it == request.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

// Adds Origin to Vary, keeping what content coding put there (Accept-Encoding).
void VaryOnOrigin(HttpResponse& response) {
  const auto it = response.find(bhttp::field::vary);
  if (it == response.end()) {
    response.set(bhttp::field::vary, "Origin");
    return;
  }
  const std::string_view existing(it->value().data(), it->value().size());
  if (absl::AsciiStrToLower(std::string(existing)).find("origin") != std::string::npos) return;
  response.set(bhttp::field::vary, std::string(existing) + ", Origin");
}

}  // namespace

Status ValidateCorsOrigin(std::string_view origin) {
  if (origin == "*") return absl::OkStatus();
  const auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError("CORS origin '" + std::string(origin) + "': " +
                                      std::string(why) + " (expected * or scheme://host[:port])");
  };
  std::string_view rest;
  if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else {
    return bad("the scheme must be http or https");
  }
  if (rest.empty()) return bad("no host");
  const bool valid = std::all_of(rest.begin(), rest.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
           c == '[' || c == ']';
  });
  if (!valid) return bad("an origin has no path, query or user part");
  return absl::OkStatus();
}

CorsPolicy::CorsPolicy(std::vector<std::string> origins, const core::ApiRestrictions& restrictions)
    : origins_(std::move(origins)), allow_headers_(kAllowHeaders) {
  any_origin_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
  std::vector<std::string_view> added;
  for (core::ApiCategory category : core::AllApiCategories()) {
    const auto* restriction = restrictions.Find(category);
    if (restriction == nullptr) continue;
    if (std::find(added.begin(), added.end(), restriction->header) != added.end()) continue;
    added.push_back(restriction->header);
    allow_headers_ += ", " + restriction->header;
  }
}

std::optional<std::string> CorsPolicy::AllowOrigin(std::optional<std::string_view> origin) const {
  if (!origin.has_value() || origins_.empty()) return std::nullopt;
  if (any_origin_) return std::string("*");
  // Origins compare exactly, except that scheme and host are case-insensitive.
  for (const std::string& allowed : origins_) {
    if (absl::EqualsIgnoreCase(allowed, absl::string_view(origin->data(), origin->size())))
      return std::string(*origin);
  }
  return std::nullopt;
}

bool CorsPolicy::IsPreflight(const HttpRequest& request) {
  return request.method() == bhttp::verb::options &&
         CorsHeader(request, bhttp::field::origin).has_value() &&
         CorsHeader(request, bhttp::field::access_control_request_method).has_value();
}

HttpResponse CorsPolicy::Preflight(std::string_view allow_origin, std::string_view methods) const {
  HttpResponse response(bhttp::status::ok, 11);  // not 204: it must not carry Content-Length
  response.set(bhttp::field::access_control_allow_origin, BeastView(allow_origin));
  response.set(bhttp::field::access_control_allow_methods, std::string(methods) + ", OPTIONS");
  response.set(bhttp::field::access_control_allow_headers, allow_headers_);
  response.set(bhttp::field::access_control_max_age, BeastView(kMaxAge));
  if (!any_origin_) response.set(bhttp::field::vary, "Origin");
  return response;
}

void CorsPolicy::Decorate(HttpResponse& response, const std::optional<std::string>& allow_origin,
                          bool varies_by_origin) {
  if (varies_by_origin) VaryOnOrigin(response);
  if (!allow_origin.has_value()) return;
  response.set(bhttp::field::access_control_allow_origin, *allow_origin);
  response.set(bhttp::field::access_control_expose_headers, BeastView(kExposeHeaders));
}

}  // namespace inferd::frontend::http
