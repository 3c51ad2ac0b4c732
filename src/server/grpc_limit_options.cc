// The gRPC resource limits of `inferd serve` (per-stream back-pressure, the server's
// ResourceQuota, streams per connection), registered by AddServeOptions. docs/security.md says
// which attack each one bounds.
#include "CLI/CLI.hpp"
#include "server/serve_options.h"

namespace inferd::server {

void AddGrpcLimitOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--grpc-stream-max-inflight", options.grpc_stream_max_inflight,
                  "ModelStreamInfer: requests per stream without a response before the server "
                  "stops reading that stream (back-pressure)")
      ->check(CLI::Range(1, 1 << 20))
      ->default_val(64);
  command
      .add_option("--grpc-stream-max-queued-bytes", options.grpc_stream_max_queued_bytes,
                  "ModelStreamInfer: bytes of responses per stream waiting to be written before "
                  "the server stops reading that stream (back-pressure)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 40))
      ->default_val(size_t{16} << 20);
  command
      .add_option("--grpc-max-memory", options.grpc_max_memory,
                  "gRPC ResourceQuota: bytes of transport memory for the whole gRPC server")
      ->check(CLI::Range(size_t{16} << 20, size_t{1} << 40))
      ->default_val(size_t{2} << 30);
  command
      .add_option("--grpc-max-threads", options.grpc_max_threads,
                  "gRPC ResourceQuota: threads gRPC may create for the server")
      ->check(CLI::Range(2, 4096))
      ->default_val(64);
  command
      .add_option("--grpc-max-concurrent-streams", options.grpc_max_concurrent_streams,
                  "Concurrent RPCs per gRPC connection (HTTP/2 MAX_CONCURRENT_STREAMS); more "
                  "wait in the client")
      ->check(CLI::Range(1, 1 << 20))
      ->default_val(128);
}

}  // namespace inferd::server
