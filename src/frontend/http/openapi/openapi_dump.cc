// Prints GET /openapi.json's document (test tool): tests/openapi/validate_openapi.py checks it
// against the published OpenAPI schema without starting a server. An argument is an
// --http-restricted-api value, for the document's security schemes.
#include <iostream>
#include <string>
#include <vector>

#include "core/api_restrictions.h"
#include "frontend/http/openapi/openapi_document.h"

int main(int argc, char** argv) {
  std::vector<std::string> flags(argv + 1, argv + argc);
  auto restrictions = inferd::core::ApiRestrictions::Parse(flags, "http-restricted-api", "api");
  if (!restrictions.ok()) {
    std::cerr << restrictions.status().message() << "\n";
    return 2;
  }
  std::cout << inferd::frontend::http::OpenApiDocument("0.0.0-test", &*restrictions) << "\n";
  return 0;
}
