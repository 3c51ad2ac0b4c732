#include "server/serve.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backend/onnxruntime/onnxruntime_backend.h"
#include "common/logging.h"
#include "frontend/grpc/grpc_server.h"
#include "frontend/http/http_server.h"
#include "lifecycle/model_manager.h"
#include "lifecycle/repository_poller.h"
#include "preprocess/model_assets.h"
#include "server/connection_options.h"
#include "server/observability.h"
#include "server/observed_service.h"
#include "server/repository_files.h"
#include "server/service.h"
#include "server/shutdown_signals.h"
#include "spdlog/spdlog.h"

namespace inferd::server {
namespace {

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

std::optional<ModelControlMode> ParseControlMode(const std::string& mode) {
  if (mode == "none") return ModelControlMode::kNone;
  if (mode == "poll") return ModelControlMode::kPoll;
  if (mode == "explicit") return ModelControlMode::kExplicit;
  return std::nullopt;
}

std::chrono::steady_clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(seconds));
}

// Logging as configured, then the start-up messages of the command line (Triton flags ignored,
// backend configs nobody reads) so that they reach the configured log.
Status ConfigureLogging(const ServeOptions& options) {
  RETURN_IF_ERROR(logging::Configure({options.log_verbose, options.log_file, options.log_format}));
  logging::Settings settings = logging::GetSettings();
  settings.log_info = options.log_info;
  settings.log_warning = options.log_warning;
  settings.log_error = options.log_error;
  RETURN_IF_ERROR(logging::UpdateSettings(settings));
  for (const auto& warning : options.startup_warnings) spdlog::warn("{}", warning);
  for (const auto& note : options.startup_notes) spdlog::info("{}", note);
  for (const auto& config : options.backend_configs) {
    spdlog::warn("--backend-config={}: no inferd backend reads backend settings; ignored", config);
  }
  return absl::OkStatus();
}

// --exit-on-error (Triton's): a model that failed to load at start-up ends the process.
int ExitOnLoadError(const lifecycle::ModelManager& manager) {
  for (const auto& entry : manager.Index(false)) {
    if (entry.state != "READY") {
      spdlog::error("--exit-on-error: model '{}' version '{}' is {}: {}", entry.name, entry.version,
                    entry.state, entry.reason);
    }
  }
  return 1;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  if (Status s = ConfigureLogging(options); !s.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  // Before any model loads: its store holds the histogram buckets every version's recorder uses.
  auto observability = Observability::Create(options);
  if (!observability.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(observability.status().message()).c_str());
    return 2;
  }
  const auto mode = ParseControlMode(options.model_control_mode);
  if (!mode) {
    std::fprintf(stderr, "inferd: unknown model control mode '%s'\n",
                 options.model_control_mode.c_str());
    return 2;
  }
  ShutdownSignals signals;  // before any thread starts: they inherit the blocked mask

  auto backend = backend::CreateOnnxRuntimeBackend();
  lifecycle::ManagerOptions manager_options;
  manager_options.repositories.assign(options.model_repositories.begin(),
                                      options.model_repositories.end());
  manager_options.auto_complete = !options.disable_auto_complete_config;
  manager_options.load_threads = options.model_load_thread_count;
  manager_options.cpu_cores = Cores();
  manager_options.unload_timeout = std::chrono::duration<double>(options.exit_timeout_secs);
  manager_options.max_instances_per_model = options.max_instances_per_model;
  manager_options.allow_repository_symlinks = options.allow_repository_symlinks;
  manager_options.buckets = (*observability)->store().buckets();
  lifecycle::ModelManager manager(*backend, manager_options);
  if (*mode != ModelControlMode::kExplicit || !options.load_models.empty()) {
    const auto names =
        *mode == ModelControlMode::kExplicit ? options.load_models : std::vector<std::string>{};
    // Start-up loads run beside the signal wait, so SIGTERM during a long load cancels it
    // instead of waiting for it (an orchestrator's grace period is shorter than some loads).
    Status loaded;
    std::thread loader([&] {
      loaded = manager.LoadAll(names);
      signals.Wake();
    });
    if (const int signal = signals.WaitOrWake(); signal != 0) {
      spdlog::info("received signal {} during start-up loads: cancelling them", signal);
      manager.UnloadAll();
      loader.join();
      return 0;
    }
    loader.join();
    if (!loaded.ok()) {
      spdlog::error("cannot load the model repository: {}", std::string(loaded.message()));
      // InvalidArgument: the repository itself cannot be read.
      if (absl::IsInvalidArgument(loaded) || options.exit_on_error) return 1;
    }
    if (options.exit_on_error && !manager.AllReady()) return ExitOnLoadError(manager);
  }
  std::unique_ptr<lifecycle::RepositoryPoller> poller;
  if (*mode == ModelControlMode::kPoll) {
    poller = std::make_unique<lifecycle::RepositoryPoller>(
        manager, std::chrono::seconds(options.repository_poll_secs));
  }

  Service service(manager,
                  {options.server_id,
                   INFERD_VERSION,
                   {"binary_tensor_data", "model_configuration", "statistics", "model_repository",
                    "model_repository(unload_dependents)", "logging", "trace"},
                   options.strict_readiness,
                   options.max_inflight,
                   *mode},
                  (*observability)->store().inflight());
  // Front ends call the observing decorator: request ids, logs, traces.
  ObservedService observed(service, (*observability)->tracer());
  frontend::http::HttpOptions http_options;
  http_options.request_counters = &(*observability)->store().http();
  http_options.tracer = &(*observability)->tracer();
  http_options.address = options.http_address;
  http_options.port = options.http_port;
  // Half the cores: measured on 2 cores, one IO thread beats two (no strand hops between IO
  // threads: p50 64 vs 104 us, 20.4k vs 18.0k req/s on `simple`), and models need the rest.
  http_options.threads = options.http_threads > 0 ? options.http_threads : std::max(1, Cores() / 2);
  http_options.max_input_size = options.http_max_input_size;
  RepositoryFiles model_files(options.model_repositories, options.allow_repository_symlinks);
  preprocess::ModelAssetCache model_assets(observed, model_files);  // pipelines, labels per load
  http_options.predict = {&model_assets, options.default_model};
  ApplyHttpConnectionOptions(options, http_options);
  std::unique_ptr<frontend::http::HttpServer> http;
  if (options.allow_http) {
    http = std::make_unique<frontend::http::HttpServer>(observed, http_options);
    auto port = http->Start();
    if (!port.ok()) {
      spdlog::error("cannot start HTTP server: {}", std::string(port.status().message()));
      return 1;
    }
    // Tests and scripts read the bound port from this line on stdout.
    std::printf("inferd: HTTP listening on %s:%d\n", options.http_address.c_str(), *port);
    std::fflush(stdout);
    spdlog::info("HTTP on {}:{}", options.http_address, *port);
  }
  std::unique_ptr<frontend::grpc::GrpcServer> grpc;
  if (options.allow_grpc) {
    frontend::grpc::GrpcOptions grpc_options{options.grpc_address, options.grpc_port,
                                             options.grpc_max_message_size,
                                             &(*observability)->store().grpc(), &model_assets};
    grpc_options.stream = {options.grpc_stream_max_inflight, options.grpc_stream_max_queued_bytes};
    grpc_options.max_memory = options.grpc_max_memory;
    grpc_options.max_threads = options.grpc_max_threads;
    grpc_options.max_concurrent_streams = options.grpc_max_concurrent_streams;
    grpc_options.connection = GrpcConnectionSettings(options);
    grpc = std::make_unique<frontend::grpc::GrpcServer>(observed, std::move(grpc_options));
    auto grpc_port = grpc->Start();
    if (!grpc_port.ok()) {
      spdlog::error("cannot start gRPC server: {}", std::string(grpc_port.status().message()));
      return 1;
    }
    // Tests and scripts read the bound port from this line on stdout.
    std::printf("inferd: gRPC listening on %s:%d\n", options.grpc_address.c_str(), *grpc_port);
    std::fflush(stdout);
    spdlog::info("gRPC on {}:{}", options.grpc_address, *grpc_port);
  }
  if (Status s = (*observability)->StartMetrics(service); !s.ok()) {
    spdlog::error("cannot start metrics server: {}", std::string(s.message()));
    return 1;
  }
  spdlog::info("inferd {} serving as '{}'", INFERD_VERSION, options.server_id);

  const int signal = signals.Wait();
  signals.ExitOnNextSignal();
  // Shutdown order (docs/threading.md): not ready (still serving, so load balancers notice), then
  // refuse new requests, drain queued and in-flight ones and unload the models, wait for their
  // responses to be written, stop the front ends, release the backend.
  spdlog::info("received signal {}: not ready; serving {} s more, then draining", signal,
               options.shutdown_grace_secs);
  service.BeginShutdown();
  if (grpc) grpc->SetServing(false);
  std::this_thread::sleep_for(Seconds(options.shutdown_grace_secs));
  const auto deadline = std::chrono::steady_clock::now() + Seconds(options.exit_timeout_secs);
  service.RefuseNewRequests();
  if (poller) poller->Stop();
  manager.UnloadAll();
  if (http && !http->WaitForPendingResponses(deadline)) {
    spdlog::warn("exit timeout: closing connections with responses still pending");
  }
  if (http) http->Stop();
  if (grpc) grpc->Stop();
  (*observability)->Stop();
  spdlog::info("shutdown complete");
  return 0;
}

}  // namespace inferd::server
