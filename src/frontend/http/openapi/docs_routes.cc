#include "frontend/http/openapi/docs_routes.h"

#include <string>
#include <utility>

#include "boost/beast/http/field.hpp"
#include "frontend/http/openapi/openapi_document.h"
#include "frontend/http/openapi/swagger_ui_assets.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

void Description(RouteCall call) {
  const std::string version = call.context.service.GetServerMetadata().version;
  HttpResponse response =
      JsonResponse(bhttp::status::ok, OpenApiDocument(version, call.context.restrictions));
  response.set(bhttp::field::cache_control, "no-cache");
  std::move(call.respond)(std::move(response));
}

HttpResponse Asset(const RouteContext& context, std::string_view name) {
  if (context.docs == nullptr) {
    return ErrorResponse(bhttp::status::not_found,
                         "Swagger UI is not installed (see --http-docs-dir); the API description "
                         "is at /openapi.json");
  }
  const SwaggerUiAssets::File* file = context.docs->Find(name);
  if (file == nullptr) return ErrorResponse(bhttp::status::not_found, "Not Found");
  HttpResponse response(bhttp::status::ok, 11);
  response.set(bhttp::field::content_type, file->content_type);
  response.set(bhttp::field::cache_control, "max-age=3600");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = file->content;
  return response;
}

void Page(RouteCall call) { std::move(call.respond)(Asset(call.context, "index.html")); }

// Only the files the asset set holds: the name is a lookup key, never a path.
void File(RouteCall call) { std::move(call.respond)(Asset(call.context, call.params.Get("file"))); }

constexpr Route kRoutes[] = {
    {bhttp::verb::get, "/openapi.json", Description, "openapi", ApiCategory::kMetadata,
     "This OpenAPI description of every route"},
    {bhttp::verb::get, "/docs", Page, "docs", ApiCategory::kMetadata,
     "Swagger UI: browse the API and try it out against this server", true},
    {bhttp::verb::get, "/docs/{file}", File, "docs", ApiCategory::kMetadata,
     "Swagger UI's scripts, style sheet and icons"},
};

}  // namespace

const Dialect& DocsDialect() {
  static const Dialect dialect{"docs", kRoutes, nullptr, CommonNotFound, CommonMethodNotAllowed};
  return dialect;
}

}  // namespace inferd::frontend::http
