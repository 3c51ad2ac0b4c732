// Browser-facing options of `inferd serve`: --http-cors-allow-origin (frontend/http/cors.h) and
// --http-docs-dir, where GET /docs finds Swagger UI (frontend/http/openapi/swagger_ui_assets.h).
#pragma once

#include <memory>

#include "common/status.h"
#include "frontend/http/openapi/swagger_ui_assets.h"
#include "server/serve_options.h"

namespace CLI {
class App;
}

namespace inferd::server {

void AddWebOptions(CLI::App& command, ServeOptions& options);

// The Swagger UI files: from --http-docs-dir (an error when unusable), else from the install's
// share/inferd/swagger-ui next to the binary, else from the source tree the binary was built
// from (third_party/swagger-ui). Null when none has them: /docs then answers 404.
StatusOr<std::shared_ptr<const frontend::http::SwaggerUiAssets>> LoadSwaggerUi(
    const ServeOptions& options);

}  // namespace inferd::server
