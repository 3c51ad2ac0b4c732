// Options of `inferd serve`, and their registration on a CLI11 subcommand. Plain data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace inferd::server {

struct ServeOptions {
  std::vector<std::string> model_repositories;
  std::string server_id = "inferd";  // server metadata `name` (Triton's --id)
  bool disable_auto_complete_config = false;
  bool strict_readiness = true;
  int64_t max_inflight = 0;  // 0 = unlimited
  int model_load_thread_count = 4;
  std::string model_control_mode = "none";  // none | poll | explicit
  std::vector<std::string> load_models;     // explicit mode: loaded at start ("*" = all)
  int repository_poll_secs = 15;
  // Drain on SIGTERM: grace + exit timeout + teardown stay well under Kubernetes' default 30 s
  // termination grace period (docs/threading.md).
  double shutdown_grace_secs = 2;  // ready=false but still accepting, for load balancers
  double exit_timeout_secs = 15;   // bound on draining queued and in-flight requests
  bool exit_on_error = false;      // exit at start-up when a model fails to load
  bool allow_http = true;
  std::string http_address = "0.0.0.0";
  int http_port = 8000;
  int http_threads = 0;  // 0 = half the cores, at least 1
  // Large requests are decoded and routed on a pool, off the IO threads (HttpOptions).
  int http_offload_threads = -1;  // -1 = number of cores; 0 = off
  size_t http_offload_min_bytes = size_t{64} << 10;
  size_t http_max_input_size = size_t{64} << 20;
  std::string default_model;  // served by POST /predict (image models); empty = none
  bool allow_grpc = true;
  std::string grpc_address = "0.0.0.0";
  int grpc_port = 8001;
  size_t grpc_max_message_size = (size_t{64} << 20) + (size_t{1} << 20);  // 64 MiB + framing
  int log_verbose = 0;
  bool log_info = true;
  bool log_warning = true;
  bool log_error = true;
  std::string log_file;
  // Triton's --backend-config values (backend_config.h): default-max-batch-size is applied, the
  // others are warned about at start-up.
  std::vector<std::string> backend_configs;
  // Triton's --min-supported-compute-capability: GPUs below it are not used. Only a CUDA build
  // (INFERD_WITH_CUDA) has GPUs; it does not read compute capabilities, so this is validated
  // and noted, never applied (docs/configuration.md).
  double min_supported_compute_capability = 6.0;
  // Set by the Triton command-line rewrite (triton_flags.h): logged once logging is configured.
  std::vector<std::string> startup_warnings;
  std::vector<std::string> startup_notes;
  // Observability (observability_options.cc, docs/metrics.md).
  std::string log_format = "text";  // text | json
  bool allow_metrics = true;
  std::string metrics_address = "0.0.0.0";
  int metrics_port = 8002;
  std::string metrics_latency_buckets_us;  // empty = the defaults
  std::string metrics_batch_size_buckets;
  std::string trace_file;
  std::string trace_level = "OFF";  // OFF | TIMESTAMPS
  uint64_t trace_rate = 1000;
  int64_t trace_count = -1;
  // gRPC resource limits (grpc_limit_options.cc, docs/security.md).
  int grpc_stream_max_inflight = 64;
  size_t grpc_stream_max_queued_bytes = size_t{16} << 20;
  size_t grpc_max_memory = size_t{2} << 30;
  int grpc_max_threads = 64;
  int grpc_max_concurrent_streams = 128;
  // Compression (compression_options.cc): none | low | medium | high, as Triton's.
  std::string grpc_infer_response_compression_level = "none";
  bool grpc_accept_compressed_requests = false;
  // Hardening (hardening_options.cc, docs/security.md).
  int max_instances_per_model = 0;  // 0 = 4 x cores
  bool allow_repository_symlinks = false;
  int shared_memory_max_regions = 64;  // registered system shared-memory regions at once

  // ---- Slow clients and connection limits (connection_options.cc, docs/security.md) ----
  int http_header_timeout_secs = 20;
  int http_idle_timeout_secs = 75;
  int http_body_timeout_secs = 30;
  size_t http_max_connections = 10000;
  bool http_refuse_on_head = true;
  struct GrpcConnection {  // Triton's flag names, milliseconds; gRPC's server defaults
    int keepalive_time_ms = 7200000;
    int keepalive_timeout_ms = 20000;
    bool keepalive_permit_without_calls = false;
    int http2_max_pings_without_data = 2;
    int http2_min_recv_ping_interval_without_data_ms = 300000;
    int http2_max_ping_strikes = 2;
    int max_connection_age_ms = 0;        // 0 = never
    int max_connection_age_grace_ms = 0;  // 0 = unlimited
  } grpc_connection;
  // ---- Restricted APIs (restricted_api_options.cc, docs/security.md) ----
  std::vector<std::string> http_restricted_apis;       // <api>[,<api>...]:<key>=<value>
  std::vector<std::string> grpc_restricted_protocols;  // <protocol>[,...]:<key>=<value>

  // ---- Browsers (web_options.cc, docs/configuration.md) ----
  std::vector<std::string> http_cors_allow_origins;  // empty = no CORS; "*" = any origin
  std::string http_docs_dir;                         // empty = the install's or build's copy

  // ---- TLS (tls_options.cc, docs/security.md) ----
  struct PortTls {  // --http-ssl-* / --metrics-ssl-*; empty = plain
    std::string cert, key, client_ca;
  };
  PortTls http_tls, metrics_tls;
  struct GrpcTls {  // Triton's --grpc-use-ssl* flags
    bool use_ssl = false, use_mutual = false;
    std::string server_cert, server_key, root_cert;
  } grpc_tls;
};

void AddServeOptions(CLI::App& command, ServeOptions& options);
void AddObservabilityOptions(CLI::App& command, ServeOptions& options);
void AddGrpcLimitOptions(CLI::App& command, ServeOptions& options);
void AddHardeningOptions(CLI::App& command, ServeOptions& options);
void AddConnectionOptions(CLI::App& command, ServeOptions& options);   // connection_options.cc
void AddCompressionOptions(CLI::App& command, ServeOptions& options);  // compression_options.cc
void AddRestrictedApiOptions(CLI::App& command,
                             ServeOptions& options);           // restricted_api_options.cc
void AddTlsOptions(CLI::App& command, ServeOptions& options);  // tls_options.cc
void AddWebOptions(CLI::App& command, ServeOptions& options);  // web_options.cc

}  // namespace inferd::server
