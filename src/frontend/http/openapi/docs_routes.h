// The API description routes: GET /openapi.json (openapi_document.h) and the Swagger UI viewer
// at GET /docs and /docs/{file} (swagger_ui_assets.h). Read-only; their API category is
// "metadata", so --http-restricted-api can guard them like the other metadata routes.
#pragma once

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

const Dialect& DocsDialect();

}  // namespace inferd::frontend::http
