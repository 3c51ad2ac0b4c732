// GET /openapi.json: an OpenAPI 3.1 document of every HTTP route of every dialect, generated
// from the route tables (route_table.h) and the per-route specs (openapi_spec.h) so the document
// cannot drift from what the router serves. Pure functions of constant data; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/api_restrictions.h"

namespace inferd::frontend::http {

// The document as JSON text; `server_version` becomes info.version. With `restrictions`
// (--http-restricted-api), each restricted category's header is an apiKey security scheme and
// the operations of that category require it, so Swagger UI's "Authorize" sends it.
std::string OpenApiDocument(std::string_view server_version,
                            const core::ApiRestrictions* restrictions = nullptr);

// Routes the document cannot describe fully: no description, or no OperationSpec. One line per
// route ("POST /v2/models/{model}/infer (kserve): no spec"); empty when every route is covered.
std::vector<std::string> UndocumentedRoutes();

}  // namespace inferd::frontend::http
