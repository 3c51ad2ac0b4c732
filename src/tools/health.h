// `inferd health`: a probe for container health checks that needs no curl. GET
// <url>/v2/health/ready; exit 0 when the server answers 200, 1 otherwise (not ready, refused,
// timed out). The default URL's port follows INFERD_HTTP_PORT when set, so an image started
// with another --http-port keeps a working HEALTHCHECK.
#pragma once

#include "client/client_options.h"

#include <string>

namespace CLI {
class App;
}

namespace inferd::tools {

struct HealthOptions {
  std::string url;  // empty = DefaultHealthUrl()
  double timeout_secs = 3;
  client::TlsOptions tls;  // --ssl, --ssl-ca, --ssl-cert, --ssl-key
};

// "http://127.0.0.1:<port>", the port from INFERD_HTTP_PORT or 8000.
std::string DefaultHealthUrl();

void AddHealthOptions(CLI::App& command, HealthOptions& options);

// Returns the process exit code: 0 ready, 1 not ready or unreachable.
int RunHealth(const HealthOptions& options);

}  // namespace inferd::tools
