#include "frontend/http/console/console_routes.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/console/console_assets.h"
#include "frontend/http/console/console_page.h"
#include "frontend/http/console/console_stats.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

// The categories of every call the page makes, for the key fields it offers.
constexpr ApiCategory kConsoleCategories[] = {ApiCategory::kMetadata, ApiCategory::kStatistics,
                                              ApiCategory::kModelRepository,
                                              ApiCategory::kInference};

bool ConsoleAllowed(const RouteCall& call, ApiCategory category) {
  if (call.context.restrictions == nullptr) return true;
  const HttpRequest& request = *call.request;
  return call.context.restrictions
      ->Check(category,
              [&](std::string_view name) -> std::optional<std::string_view> {
                const auto it = request.find(boost::beast::string_view(name.data(), name.size()));
                if (it == request.end()) return std::nullopt;
                return std::string_view(it->value().data(), it->value().size());
              })
      .ok();
}

std::vector<ConsoleKey> ConsoleKeys(const core::ApiRestrictions* restrictions) {
  std::vector<ConsoleKey> keys;
  if (restrictions == nullptr) return keys;
  for (ApiCategory category : kConsoleCategories) {
    const core::ApiRestrictions::Restriction* r = restrictions->Find(category);
    if (r == nullptr) continue;
    const std::string_view name = core::ApiCategoryName(category);
    auto it = std::find_if(keys.begin(), keys.end(),
                           [&](const ConsoleKey& k) { return k.header == r->header; });
    if (it == keys.end()) {
      keys.push_back({r->header, std::string(name)});
    } else {
      it->categories.append(", ").append(name);
    }
  }
  return keys;
}

HttpResponse ConsoleResponse(std::string_view content_type, std::string body) {
  HttpResponse response(bhttp::status::ok, 11);
  response.set(bhttp::field::content_type,
               boost::beast::string_view(content_type.data(), content_type.size()));
  response.set(bhttp::field::cache_control, "no-cache");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = std::move(body);
  return response;
}

void ConsolePage(RouteCall call) {
  core::InferenceService& service = call.context.service;
  ConsoleView view;
  const core::ServerMetadata server = service.GetServerMetadata();
  view.server_name = server.name;
  view.server_version = server.version;
  view.index_readable = ConsoleAllowed(call, ApiCategory::kModelRepository);
  view.stats_readable = ConsoleAllowed(call, ApiCategory::kStatistics);
  view.keys = ConsoleKeys(call.context.restrictions);
  std::map<std::pair<std::string, std::string>, core::ModelStatistics> stats;
  if (view.stats_readable) {
    if (auto all = service.GetModelStatistics("", 0); all.ok()) {
      for (auto& s : *all) stats.emplace(std::make_pair(s.name, s.version), std::move(s));
    }
  }
  for (auto& entry : service.RepositoryIndex(/*ready_only=*/!view.index_readable)) {
    ConsoleRow row;
    if (entry.state == "READY") {
      int64_t version = 0;
      if (absl::SimpleAtoi(entry.version, &version) && version > 0) {
        if (auto metadata = service.GetModelMetadata(entry.name, version); metadata.ok()) {
          row.metadata = *std::move(metadata);
        }
      }
      const auto found = stats.find({entry.name, entry.version});
      if (found != stats.end()) row.stats = found->second;
    }
    row.entry = std::move(entry);
    view.rows.push_back(std::move(row));
  }
  HttpResponse response = ConsoleResponse("text/html; charset=utf-8", RenderConsolePage(view));
  // The page runs only its own script and style sheet, and is never framed.
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'");
  std::move(call.respond)(std::move(response));
}

void ConsoleScriptAsset(RouteCall call) {
  std::move(call.respond)(
      ConsoleResponse("text/javascript; charset=utf-8", std::string(ConsoleScript())));
}

void ConsoleStyleAsset(RouteCall call) {
  std::move(call.respond)(ConsoleResponse("text/css; charset=utf-8", std::string(ConsoleStyle())));
}

void ConsoleStats(RouteCall call) {
  auto stats = call.context.service.GetModelStatistics("", 0);
  if (!stats.ok()) return std::move(call.respond)(ErrorResponse(stats.status()));
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  HttpResponse response = ConsoleResponse(
      "application/json", ConsoleStatsJson(*stats, static_cast<uint64_t>(now.count())));
  std::move(call.respond)(std::move(response));
}

constexpr Route kRoutes[] = {
    {bhttp::verb::get, "/console", ConsolePage, "console", ApiCategory::kMetadata,
     "Web console: models, versions, states, live figures, load/unload and image upload (HTML)"},
    {bhttp::verb::get, "/console/console.js", ConsoleScriptAsset, "console", ApiCategory::kMetadata,
     "The web console's script"},
    {bhttp::verb::get, "/console/console.css", ConsoleStyleAsset, "console", ApiCategory::kMetadata,
     "The web console's style sheet"},
    {bhttp::verb::get, "/console/stats", ConsoleStats, "console_stats", ApiCategory::kStatistics,
     "Live figures of every ready model version: counters and latency histogram (JSON)"},
};

}  // namespace

const Dialect& ConsoleDialect() {
  static const Dialect dialect{"console", kRoutes, nullptr, CommonNotFound, CommonMethodNotAllowed};
  return dialect;
}

}  // namespace inferd::frontend::http
