#include "frontend/http/openapi/swagger_ui_assets.h"

#include <fstream>
#include <sstream>

namespace inferd::frontend::http {
namespace {

// Absolute paths: the page is served at /docs and /docs/, where relative ones would differ.
constexpr std::string_view kSwaggerPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>inferd API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/swagger-init.js"></script>
</body>
</html>
)html";

// "Try it out" sends its requests to the document's server "/": this same server.
constexpr std::string_view kSwaggerInit = R"js(window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
});
)js";

std::string ContentTypeOf(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  return "application/octet-stream";
}

StatusOr<std::string> ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::InternalError("error reading " + path.string());
  return std::move(content).str();
}

}  // namespace

const std::vector<std::string_view>& SwaggerUiAssets::RequiredFiles() {
  static const std::vector<std::string_view> files = {"swagger-ui.css", "swagger-ui-bundle.js",
                                                      "swagger-ui-standalone-preset.js",
                                                      "favicon-32x32.png", "favicon-16x16.png"};
  return files;
}

StatusOr<std::shared_ptr<const SwaggerUiAssets>> SwaggerUiAssets::Load(
    const std::filesystem::path& dir) {
  auto assets = std::make_shared<SwaggerUiAssets>();
  for (std::string_view name : RequiredFiles()) {
    auto content = ReadWholeFile(dir / name);
    if (!content.ok()) {
      return absl::NotFoundError("Swagger UI directory " + dir.string() + " lacks " +
                                 std::string(name) +
                                 " (scripts/setup.sh installs swagger-ui-dist)");
    }
    assets->files_.emplace(std::string(name), File{ContentTypeOf(name), *std::move(content)});
  }
  assets->files_.emplace("index.html", File{ContentTypeOf(".html"), std::string(kSwaggerPage)});
  assets->files_.emplace("swagger-init.js", File{ContentTypeOf(".js"), std::string(kSwaggerInit)});
  return std::shared_ptr<const SwaggerUiAssets>(std::move(assets));
}

const SwaggerUiAssets::File* SwaggerUiAssets::Find(std::string_view name) const {
  const auto it = files_.find(name);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace inferd::frontend::http
