// Slow clients and connection limits of `inferd serve` (connection_options.cc): registration of
// the flags and their mapping onto the front ends' options.
#pragma once

#include "frontend/grpc/grpc_server.h"
#include "frontend/http/http_server.h"
#include "server/serve_options.h"

namespace inferd::server {

// Sets the HTTP front end's timeouts and connection cap from the flags.
void ApplyHttpConnectionOptions(const ServeOptions& options, frontend::http::HttpOptions& http);
// gRPC's keep-alive and connection-age settings from the flags.
frontend::grpc::GrpcConnectionOptions GrpcConnectionSettings(const ServeOptions& options);

}  // namespace inferd::server
