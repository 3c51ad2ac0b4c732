// `inferd serve`: runs a Server (server/server.h: start-up, serving until SIGINT or SIGTERM,
// ordered shutdown; docs/threading.md). Called once from main.
#pragma once

#include "server/serve_options.h"

namespace inferd::server {

// Returns the process exit code.
int RunServe(const ServeOptions& options);

}  // namespace inferd::server
