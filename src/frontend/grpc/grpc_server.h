// The gRPC front end: a grpc::Server on the callback API serving inference.GRPCInferenceService
// (callback_service.h) and grpc.health.v1.Health (gRPC's built-in service; SERVING follows the
// facade's readiness). No thread is blocked per in-flight request: RPCs complete from the
// facade's callbacks.
//
// Lifetime: borrows the facade, which must outlive Stop(). Start and Stop are called from one
// thread (the server's main thread); the destructor stops a running server.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "core/api_restrictions.h"
#include "core/inference_service.h"
#include "core/shared_memory.h"
#include "frontend/grpc/grpc_tls.h"
#include "frontend/grpc/infer_reactors.h"
#include "metrics/status_counters.h"

namespace grpc {
class Server;
}

namespace inferd::frontend::grpc {

class CallbackService;

// HTTP/2 keep-alive and connection age (gRPC core's channel arguments, in milliseconds; the
// defaults are gRPC's own server defaults). docs/security.md says what each bounds.
struct GrpcConnectionOptions {
  int keepalive_time_ms = 7200000;              // ping an idle connection after this long
  int keepalive_timeout_ms = 20000;             // close it when the ping is not answered this long
  bool keepalive_permit_without_calls = false;  // accept clients' pings with no call open
  int http2_max_pings_without_data = 2;
  int http2_min_recv_ping_interval_without_data_ms = 300000;  // closer pings are "strikes"
  int http2_max_ping_strikes = 2;                             // then GOAWAY; 0 = tolerate any
  int max_connection_age_ms = 0;                              // 0 = unlimited
  int max_connection_age_grace_ms = 0;                        // 0 = unlimited
};

// gRPC's compression levels (Triton's --grpc-infer-response-compression-level): gRPC maps a level
// to an algorithm the client accepts (its grpc-accept-encoding).
enum class CompressionLevel { kNone, kLow, kMedium, kHigh };

struct GrpcOptions {
  std::string address = "0.0.0.0";
  int port = 8001;  // 0 = any free port
  // Largest request or response message; the default fits a 64 MiB tensor plus its framing.
  size_t max_message_size = (size_t{64} << 20) + (size_t{1} << 20);
  // When set, every finished call is counted by method and status code (call_counter.h); must
  // outlive the server.
  metrics::StatusCounters* call_counters = nullptr;
  // Resource bounds (docs/security.md). Each ModelStreamInfer stops reading while over its caps.
  StreamLimits stream;
  // gRPC's ResourceQuota for the whole server: transport buffers beyond this are refused or
  // shrunk by gRPC under pressure, and its threads are capped.
  size_t max_memory = size_t{2} << 30;
  int max_threads = 64;
  int max_concurrent_streams = 128;  // per connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS)
  GrpcConnectionOptions connection;
  // Compression of ModelInfer and ModelStreamInfer responses.
  CompressionLevel infer_compression_level = CompressionLevel::kNone;
  // Whether requests compressed with gRPC's gzip or deflate are accepted. gRPC (1.51) inflates a
  // message whole before checking its size against the maximum, so a small compressed message
  // can cost gigabytes (docs/security.md): off by default, refused with UNIMPLEMENTED.
  bool accept_compressed_requests = false;
  // --grpc-restricted-protocol: categories that need a `triton-grpc-protocol-<key>` header
  // (method_categories.h); empty = nothing restricted.
  core::ApiRestrictions restricted_protocols;
  // Set: the port serves TLS only (grpc_tls.h; certificates re-read on its Reload). Null = plain.
  std::shared_ptr<GrpcTls> tls;
  // The shared-memory extension's regions (core/shared_memory.h); must outlive the server.
  // Null = the extension is off.
  core::SharedMemoryRegistry* shared_memory = nullptr;
};

class GrpcServer {
 public:
  GrpcServer(core::InferenceService& service, GrpcOptions options);
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Binds and starts serving; returns the bound port. Unavailable when it cannot bind.
  StatusOr<int> Start();
  // grpc.health.v1 status (graceful shutdown turns it NOT_SERVING before the server stops).
  void SetServing(bool serving);
  // Marks health NOT_SERVING, stops accepting, cancels calls still open after a grace period,
  // and waits for every RPC to be done.
  void Stop();

 private:
  core::InferenceService& service_;
  const GrpcOptions options_;
  std::unique_ptr<CallbackService> callback_service_;
  std::unique_ptr<::grpc::Server> server_;
};

}  // namespace inferd::frontend::grpc
