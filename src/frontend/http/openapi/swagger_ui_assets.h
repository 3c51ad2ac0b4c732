// The Swagger UI files GET /docs serves: read once from the swagger-ui-dist directory the set-up
// installs (scripts/setup.sh, cmake/swagger_ui.cmake; --http-docs-dir), plus the page and the
// start-up script inferd writes itself, which point the viewer at /openapi.json on the same
// server. Immutable after Load; thread-safe to read.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace inferd::frontend::http {

class SwaggerUiAssets {
 public:
  struct File {
    std::string content_type;
    std::string content;
  };

  // The files swagger-ui-dist ships that the page needs, by name.
  static const std::vector<std::string_view>& RequiredFiles();

  // Reads every required file from `dir`; NotFound naming the first missing one.
  static StatusOr<std::shared_ptr<const SwaggerUiAssets>> Load(const std::filesystem::path& dir);

  // "index.html" (the page), "swagger-init.js" or a swagger-ui-dist file; null when unknown.
  const File* Find(std::string_view name) const;

 private:
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace inferd::frontend::http
