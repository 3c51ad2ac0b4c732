#include "server/serve_options.h"

#include "CLI/CLI.hpp"

namespace inferd::server {

void AddServeOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--model-repository,--model-store", options.model_repositories,
                  "Model repository folder (repeatable)")
      ->required()
      ->check(CLI::ExistingDirectory);
  command.add_flag("--disable-auto-complete-config", options.disable_auto_complete_config,
                   "Do not complete config.pbtxt from the model file");
  command
      .add_option("--max-inflight", options.max_inflight,
                  "Server-wide limit of in-flight inference requests; more get 503 "
                  "(0 = unlimited)")
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--strict-readiness", options.strict_readiness,
                  "Ready only when every model is ready")
      ->default_val(true);
  command
      .add_option("--model-load-thread-count", options.model_load_thread_count,
                  "Models loaded in parallel")
      ->check(CLI::Range(1, 64))
      ->default_val(4);
  command
      .add_option("--model-control-mode", options.model_control_mode,
                  "none: load every model at start; poll: also apply repository changes every "
                  "--repository-poll-secs; explicit: load --load-model models at start and "
                  "others through the repository API")
      ->check(CLI::IsMember({"none", "poll", "explicit"}))
      ->default_val("none");
  command.add_option("--load-model", options.load_models,
                     "Explicit mode: model to load at start (repeatable; '*' = all)");
  command
      .add_option("--repository-poll-secs", options.repository_poll_secs,
                  "Poll mode: seconds between repository scans")
      ->check(CLI::Range(1, 86400))
      ->default_val(15);
  command
      .add_option("--shutdown-grace-secs", options.shutdown_grace_secs,
                  "On SIGTERM/SIGINT: seconds to keep serving while reporting not ready")
      ->check(CLI::Range(0.0, 3600.0))
      ->default_val(2);
  command
      .add_option("--exit-timeout-secs", options.exit_timeout_secs,
                  "On shutdown: seconds to let queued and in-flight requests finish")
      ->check(CLI::Range(0.0, 3600.0))
      ->default_val(15);
  command
      .add_option("--exit-on-error", options.exit_on_error,
                  "Exit at start-up when a model fails to load (Triton's default is true)")
      ->default_val(false);
  command.add_option("--id", options.server_id, "Server name in the server metadata")
      ->default_val("inferd");
  command.add_option("--allow-http", options.allow_http, "Serve the HTTP protocol")
      ->default_val(true);
  command.add_option("--http-address", options.http_address, "HTTP listen address")
      ->default_val("0.0.0.0");
  command.add_option("--http-port", options.http_port, "HTTP port (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->default_val(8000);
  command
      .add_option("--http-threads", options.http_threads,
                  "HTTP IO threads (0 = half the cores, at least 1)")
      ->check(CLI::Range(0, 256));
  command
      .add_option("--http-offload-threads", options.http_offload_threads,
                  "Threads that decode and route large HTTP requests off the IO threads "
                  "(-1 = number of cores, 0 = decode every request on its IO thread)")
      ->check(CLI::Range(-1, 256));
  command
      .add_option("--http-offload-min-bytes", options.http_offload_min_bytes,
                  "Request bodies of at least this many bytes are decoded on the offload threads")
      ->check(CLI::Range(size_t{0}, size_t{1} << 34))
      ->default_val(size_t{64} << 10);
  command
      .add_option("--http-max-input-size", options.http_max_input_size,
                  "Largest HTTP request body in bytes")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 34))
      ->default_val(size_t{64} << 20);
  command.add_option("--default-model", options.default_model,
                     "Model served by POST /predict (an image model with a pipeline.json)");
  command.add_option("--allow-grpc", options.allow_grpc, "Serve the gRPC protocol")
      ->default_val(true);
  command.add_option("--grpc-address", options.grpc_address, "gRPC listen address")
      ->default_val("0.0.0.0");
  command.add_option("--grpc-port", options.grpc_port, "gRPC port (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->default_val(8001);
  command
      .add_option("--grpc-max-message-size", options.grpc_max_message_size,
                  "Largest gRPC request or response message in bytes")
      ->check(CLI::Range(size_t{1024}, size_t{2147483647}))
      ->default_val((size_t{64} << 20) + (size_t{1} << 20));
  command.add_option("--log-verbose", options.log_verbose, "Verbose logging level (0 = off)");
  command.add_option("--log-file", options.log_file, "Write the log to this file");
  command.add_option("--log-info", options.log_info, "Log info lines")->default_val(true);
  command.add_option("--log-warning", options.log_warning, "Log warnings")->default_val(true);
  command.add_option("--log-error", options.log_error, "Log errors")->default_val(true);
  command.add_option("--backend-config", options.backend_configs,
                     "Triton's <backend>,<setting>=<value> or <setting>=<value> (repeatable); "
                     "default-max-batch-size is applied, other settings are warned about");
  command
      .add_option("--min-supported-compute-capability", options.min_supported_compute_capability,
                  "Triton's lowest CUDA compute capability of a usable GPU (accepted; inferd's "
                  "CUDA build does not check it)")
      ->check(CLI::Range(0.0, 100.0))
      ->default_val(6.0);
  AddObservabilityOptions(command, options);
  AddGrpcLimitOptions(command, options);
  AddHardeningOptions(command, options);
  AddConnectionOptions(command, options);
  AddCompressionOptions(command, options);
  AddRestrictedApiOptions(command, options);
  AddTlsOptions(command, options);
  // A single-valued option given twice takes the last value, as Triton's parser does: KServe
  // appends an InferenceService's arguments to its runtime's, so an override comes last.
  for (CLI::Option* option : command.get_options()) {
    if (option->get_expected_max() == 1) {
      option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    }
  }
}

}  // namespace inferd::server
