#include "tools/health.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "CLI/CLI.hpp"
#include "client/http_client.h"
#include "tools/tls_flags.h"

namespace inferd::tools {

std::string DefaultHealthUrl() {
  const char* port = std::getenv("INFERD_HTTP_PORT");
  return std::string("http://127.0.0.1:") + (port != nullptr && *port != '\0' ? port : "8000");
}

void AddHealthOptions(CLI::App& command, HealthOptions& options) {
  command.add_option("--url", options.url,
                     "Server to probe (default http://127.0.0.1:$INFERD_HTTP_PORT, else :8000)");
  command.add_option("--timeout-secs", options.timeout_secs, "Bound on connect and answer")
      ->check(CLI::Range(0.001, 3600.0))
      ->default_val(3);
  AddTlsFlags(command, options.tls);
}

int RunHealth(const HealthOptions& options) {
  client::ClientOptions client_options;
  client_options.url = options.url.empty() ? DefaultHealthUrl() : options.url;
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_secs * 1000));
  client_options.connect_timeout = timeout;
  client_options.request_timeout = timeout;
  client_options.tls = options.tls;
  client_options.retry.max_attempts = 1;  // a probe answers now; the orchestrator retries
  client::HttpClient client(client_options);
  const auto ready = client.IsServerReady();
  if (!ready.ok()) {
    std::fprintf(stderr, "inferd health: %s: %s\n", client_options.url.c_str(),
                 std::string(ready.status().message()).c_str());
    return 1;
  }
  std::printf("inferd health: %s %s\n", client_options.url.c_str(), *ready ? "ready" : "not ready");
  return *ready ? 0 : 1;
}

}  // namespace inferd::tools
