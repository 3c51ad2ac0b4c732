#include "server/web_options.h"

#include <filesystem>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "frontend/http/cors.h"
#include "spdlog/spdlog.h"

namespace inferd::server {

void AddWebOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--http-cors-allow-origin", options.http_cors_allow_origins,
                  "Let browser pages from this origin (scheme://host[:port]) call the HTTP API: "
                  "CORS headers and preflight answers for it. Repeatable; * allows every origin. "
                  "Default: none, no CORS header is sent")
      ->check([](const std::string& origin) -> std::string {
        const Status status = frontend::http::ValidateCorsOrigin(origin);
        return status.ok() ? std::string() : std::string(status.message());
      })
      ->take_all()
      ->allow_extra_args(false);
  command.add_option("--http-docs-dir", options.http_docs_dir,
                     "Directory of the Swagger UI files GET /docs serves (swagger-ui-dist). "
                     "Default: share/inferd/swagger-ui of the install, else the build's source "
                     "tree");
}

StatusOr<std::shared_ptr<const frontend::http::SwaggerUiAssets>> LoadSwaggerUi(
    const ServeOptions& options) {
  using frontend::http::SwaggerUiAssets;
  if (!options.http_docs_dir.empty()) return SwaggerUiAssets::Load(options.http_docs_dir);
  std::vector<std::filesystem::path> candidates;
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back(binary.parent_path().parent_path() / "share/inferd/swagger-ui");
#ifdef INFERD_SWAGGER_UI_SOURCE_DIR
  candidates.emplace_back(INFERD_SWAGGER_UI_SOURCE_DIR);
#endif
  for (const auto& dir : candidates) {
    if (!std::filesystem::is_directory(dir, error)) continue;
    auto assets = SwaggerUiAssets::Load(dir);
    if (assets.ok()) {
      spdlog::info("GET /docs serves Swagger UI from {}", dir.string());
      return assets;
    }
    spdlog::warn("Swagger UI at {} is incomplete: {}", dir.string(),
                 std::string(assets.status().message()));
  }
  spdlog::info(
      "Swagger UI not found (--http-docs-dir): GET /docs answers 404, /openapi.json works");
  return std::shared_ptr<const SwaggerUiAssets>();
}

}  // namespace inferd::server
