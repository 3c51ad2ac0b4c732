#include "frontend/http/route_table.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/url_util.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  while (true) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

std::string_view PathParams::Get(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return value;
  }
  return {};
}

bool PathParams::Has(std::string_view name) const {
  for (const auto& entry : values_) {
    if (entry.first == name) return true;
  }
  return false;
}

std::vector<std::string_view> PatternParameters(std::string_view pattern) {
  std::vector<std::string_view> names;
  for (std::string_view segment : Split(pattern)) {
    if (segment.empty() || segment.front() != '{') continue;
    names.push_back(segment.substr(1, segment.find('}') - 1));
  }
  return names;
}

CompiledPattern::CompiledPattern(std::string_view pattern) {
  for (std::string_view segment : Split(pattern.substr(1))) {
    if (!segment.empty() && segment.front() == '{') {
      const size_t close = segment.find('}');
      segments_.push_back({segment.substr(close + 1), segment.substr(1, close - 1)});
    } else {
      segments_.push_back({segment, {}});
    }
  }
}

bool CompiledPattern::Match(std::string_view path, PathParams& params) const {
  return Match(path, static_cast<size_t>(std::count(path.begin(), path.end(), '/')), params);
}

bool CompiledPattern::Match(std::string_view path, size_t slashes, PathParams& params) const {
  // Most routes fail on their segment count, at no cost; the parameters are collected only once
  // every segment has matched, so a near miss allocates nothing.
  if (slashes != segments_.size() || path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  std::string_view rest = path;
  for (const Segment& segment : segments_) {
    const size_t slash = rest.find('/');
    const std::string_view value = rest.substr(0, slash);
    if (segment.parameter.empty() ? value != segment.literal : !value.ends_with(segment.literal)) {
      return false;
    }
    rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
  }
  PathParams found;
  for (const Segment& segment : segments_) {
    const size_t slash = path.find('/');
    std::string_view value = path.substr(0, slash);
    if (!segment.parameter.empty()) {
      value.remove_suffix(segment.literal.size());
      found.Add(segment.parameter, value);
    }
    path.remove_prefix(slash == std::string_view::npos ? path.size() : slash + 1);
  }
  params = std::move(found);
  return true;
}

StatusOr<std::string> ModelParam(const PathParams& params) {
  auto name = UrlDecode(params.Get("model"));
  if (!name.has_value() || name->empty()) {
    return absl::InvalidArgumentError("malformed model name in the URL");
  }
  return *std::move(name);
}

StatusOr<int64_t> VersionParam(const PathParams& params) {
  if (!params.Has("version")) return 0;
  const std::string_view text = params.Get("version");
  int64_t version = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), version);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || version <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("model version '", std::string(text), "' is not a positive integer"));
  }
  return version;
}

HttpResponse CommonNotFound(const HttpRequest&, std::string_view) {
  return ErrorResponse(bhttp::status::not_found, "Not Found");
}

HttpResponse CommonMethodNotAllowed(const HttpRequest&, std::string_view, std::string_view allow) {
  HttpResponse response = ErrorResponse(bhttp::status::method_not_allowed, "Method Not Allowed");
  response.set(bhttp::field::allow, boost::beast::string_view(allow.data(), allow.size()));
  return response;
}

std::optional<HttpResponse> RefuseWhenFull(const RouteContext& context, std::string_view model,
                                           int64_t version,
                                           HttpResponse (*refuse)(const Status& status)) {
  if (context.service.Admits(model, version)) return std::nullopt;
  HttpResponse response = refuse(absl::UnavailableError(
      absl::StrCat("model '", std::string(model),
                   "' cannot take more requests now (queue full or server at capacity)")));
  // Every dialect's "not now": a client may retry (TF Serving's and TorchServe's error shapes
  // have no such header of their own).
  response.set(boost::beast::http::field::retry_after, "1");
  return response;
}

std::optional<HttpResponse> RefuseModelWhenFull(const RouteContext& context,
                                                const PathParams& params,
                                                HttpResponse (*refuse)(const Status& status)) {
  auto model = ModelParam(params);
  auto version = VersionParam(params);
  if (!model.ok() || !version.ok()) return std::nullopt;
  return RefuseWhenFull(context, *model, *version, refuse);
}

}  // namespace inferd::frontend::http
