// `inferd serve`: wires backend, model manager, service and front ends, runs until SIGINT or
// SIGTERM, then shuts down in order (see docs/threading.md). Called once from main.
#pragma once

#include "server/serve_options.h"

namespace inferd::server {

// Returns the process exit code.
int RunServe(const ServeOptions& options);

}  // namespace inferd::server
