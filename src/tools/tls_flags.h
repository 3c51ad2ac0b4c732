// The TLS flags shared by `inferd perf`, `inferd smoke` and `inferd health`, so the tools can
// reach a server that serves HTTPS or gRPC over TLS (mutual TLS included).
#pragma once

#include "client/client_options.h"

namespace CLI {
class App;
}

namespace inferd::tools {

// --ssl, --ssl-ca FILE, --ssl-cert FILE, --ssl-key FILE (a CA or client certificate implies --ssl).
void AddTlsFlags(CLI::App& command, client::TlsOptions& tls);

}  // namespace inferd::tools
