// Prints GET /openapi.json's document (test tool): tests/openapi/validate_openapi.py checks it
// against the published OpenAPI schema without starting a server.
#include <iostream>

#include "frontend/http/openapi/openapi_document.h"

int main() {
  std::cout << inferd::frontend::http::OpenApiDocument("0.0.0-test") << "\n";
  return 0;
}
