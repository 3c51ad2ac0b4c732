// Compression settings of `inferd serve` (compression_options.cc): registration of the flag and
// its mapping onto the gRPC front end. HTTP compression needs no flag: it follows each request's
// Content-Encoding and Accept-Encoding, bounded by --http-max-input-size (docs/protocols.md).
#pragma once

#include "frontend/grpc/grpc_server.h"
#include "server/serve_options.h"

namespace inferd::server {

// --grpc-infer-response-compression-level as the gRPC front end's level.
frontend::grpc::CompressionLevel GrpcInferCompressionLevel(const ServeOptions& options);

}  // namespace inferd::server
