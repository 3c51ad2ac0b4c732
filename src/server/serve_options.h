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
  bool disable_auto_complete_config = false;
  bool strict_readiness = true;
  int64_t max_inflight = 0;  // 0 = unlimited
  int model_load_thread_count = 4;
  std::string model_control_mode = "none";  // none | poll | explicit
  std::vector<std::string> load_models;     // explicit mode: loaded at start ("*" = all)
  int repository_poll_secs = 15;
  double shutdown_grace_secs = 3;  // ready=false but still accepting, for load balancers
  double exit_timeout_secs = 30;   // bound on draining queued and in-flight requests
  std::string http_address = "0.0.0.0";
  int http_port = 8000;
  int http_threads = 0;  // 0 = number of cores
  size_t http_max_input_size = size_t{64} << 20;
  std::string default_model;  // served by POST /predict (image models); empty = none
  bool allow_grpc = true;
  std::string grpc_address = "0.0.0.0";
  int grpc_port = 8001;
  size_t grpc_max_message_size = (size_t{64} << 20) + (size_t{1} << 20);  // 64 MiB + framing
  int log_verbose = 0;
  std::string log_file;
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
  // Hardening (hardening_options.cc, docs/security.md).
  int max_instances_per_model = 0;  // 0 = 4 x cores
  bool allow_repository_symlinks = false;
};

void AddServeOptions(CLI::App& command, ServeOptions& options);
void AddObservabilityOptions(CLI::App& command, ServeOptions& options);
void AddHardeningOptions(CLI::App& command, ServeOptions& options);

}  // namespace inferd::server
