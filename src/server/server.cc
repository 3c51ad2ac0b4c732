#include "server/server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "backend/registry/builtin_backends.h"
#include "common/logging.h"
#include "server/compression_options.h"
#include "server/connection_options.h"
#include "server/restricted_api_options.h"
#include "server/server_extensions.h"
#include "server/tls_options.h"
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

// Logging as configured, then the start-up messages of the command line (Triton flags ignored)
// so that they reach the configured log.
Status ConfigureLogging(const ServeOptions& options) {
  RETURN_IF_ERROR(logging::Configure({options.log_verbose, options.log_file, options.log_format}));
  logging::Settings settings = logging::GetSettings();
  settings.log_info = options.log_info;
  settings.log_warning = options.log_warning;
  settings.log_error = options.log_error;
  RETURN_IF_ERROR(logging::UpdateSettings(settings));
  for (const auto& warning : options.startup_warnings) spdlog::warn("{}", warning);
  for (const auto& note : options.startup_notes) spdlog::info("{}", note);
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

// Tests and scripts read the bound port from this line on stdout.
void AnnounceListening(const char* what, const std::string& address, int port) {
  std::printf("inferd: %s listening on %s:%d\n", what, address.c_str(), port);
  std::fflush(stdout);
  spdlog::info("{} on {}:{}", what, address, port);
}

}  // namespace

lifecycle::ManagerOptions RepositoryManagerOptions(const ServeOptions& options,
                                                   const BackendConfig& backend_config) {
  lifecycle::ManagerOptions manager_options;
  manager_options.repositories.assign(options.model_repositories.begin(),
                                      options.model_repositories.end());
  manager_options.auto_complete = !options.disable_auto_complete_config;
  if (backend_config.default_max_batch_size) {
    manager_options.default_max_batch_size = *backend_config.default_max_batch_size;
  }
  manager_options.load_threads = options.model_load_thread_count;
  manager_options.cpu_cores = Cores();
  manager_options.max_instances_per_model = options.max_instances_per_model;
  manager_options.allow_repository_symlinks = options.allow_repository_symlinks;
  return manager_options;
}

Server::Server(const ServeOptions& options) : options_(options) {}

Server::~Server() = default;

int Server::Run() {
  if (auto exit_code = Configure()) return *exit_code;
  if (Status s = BuildBackends(); !s.ok()) {
    spdlog::error("cannot register the backends: {}", std::string(s.message()));
    return 1;
  }
  OpenRepository();
  if (auto exit_code = LoadModels()) return *exit_code;
  StartPoller();
  BuildService();
  if (Status s = StartHttp(); !s.ok()) {
    spdlog::error("cannot start HTTP server: {}", std::string(s.message()));
    return 1;
  }
  if (Status s = StartGrpc(); !s.ok()) {
    spdlog::error("cannot start gRPC server: {}", std::string(s.message()));
    return 1;
  }
  if (Status s = StartMetrics(); !s.ok()) {
    spdlog::error("cannot start metrics server: {}", std::string(s.message()));
    return 1;
  }
  spdlog::info("inferd {} serving as '{}'", INFERD_VERSION, options_.server_id);
  Drain(WaitForSignal());
  StopInOrder();
  spdlog::info("shutdown complete");
  return 0;
}

std::optional<int> Server::Configure() {
  if (Status s = ConfigureLogging(options_); !s.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  // TLS files are checked before anything loads; SIGHUP is blocked before any thread starts.
  auto tls = MakeServerTls(options_);
  if (!tls.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(tls.status().message()).c_str());
    return 2;
  }
  tls_ = *std::move(tls);
  if (auto reloadables = Reloadables(tls_); !reloadables.empty()) {
    tls_reload_.emplace(std::move(reloadables));
  }
  // Before any model loads: its store holds the histogram buckets every version's recorder uses.
  auto observability = Observability::Create(options_);
  if (!observability.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(observability.status().message()).c_str());
    return 2;
  }
  observability_ = *std::move(observability);
  const auto mode = ParseControlMode(options_.model_control_mode);
  if (!mode) {
    std::fprintf(stderr, "inferd: unknown model control mode '%s'\n",
                 options_.model_control_mode.c_str());
    return 2;
  }
  mode_ = *mode;
  auto restricted = ParseRestrictedApis(options_);
  if (!restricted.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(restricted.status().message()).c_str());
    return 2;
  }
  restricted_ = *std::move(restricted);
  auto backend_config = ParseBackendConfigs(options_.backend_configs);
  if (!backend_config.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(backend_config.status().message()).c_str());
    return 2;
  }
  backend_config_ = *std::move(backend_config);
  signals_ = std::make_unique<ShutdownSignals>();  // before any thread starts: they inherit it
  return std::nullopt;
}

Status Server::BuildBackends() {
  RETURN_IF_ERROR(backend::RegisterBuiltinBackends(backends_));
  for (const auto& warning : BackendConfigWarnings(backend_config_, backends_)) {
    spdlog::warn("{}", warning);
  }
  return absl::OkStatus();
}

void Server::OpenRepository() {
  lifecycle::ManagerOptions manager_options = RepositoryManagerOptions(options_, backend_config_);
  manager_options.unload_timeout = std::chrono::duration<double>(options_.exit_timeout_secs);
  manager_options.buckets = observability_->store().buckets();
  // Each version's pipeline and labels, read when it loads and held by it.
  model_files_ = std::make_unique<RepositoryFiles>(options_.model_repositories,
                                                   options_.allow_repository_symlinks);
  manager_options.files = model_files_.get();
  manager_ = std::make_unique<lifecycle::ModelManager>(backends_, manager_options);
}

std::optional<int> Server::LoadModels() {
  if (mode_ == ModelControlMode::kExplicit && options_.load_models.empty()) return std::nullopt;
  const auto names =
      mode_ == ModelControlMode::kExplicit ? options_.load_models : std::vector<std::string>{};
  // Start-up loads run beside the signal wait, so SIGTERM during a long load cancels it
  // instead of waiting for it (an orchestrator's grace period is shorter than some loads).
  Status loaded;
  std::thread loader([&] {
    loaded = manager_->LoadAll(names);
    signals_->Wake();
  });
  if (const int signal = signals_->WaitOrWake(); signal != 0) {
    spdlog::info("received signal {} during start-up loads: cancelling them", signal);
    manager_->UnloadAll();
    loader.join();
    return 0;
  }
  loader.join();
  if (!loaded.ok()) {
    spdlog::error("cannot load the model repository: {}", std::string(loaded.message()));
    // InvalidArgument: the repository itself cannot be read.
    if (absl::IsInvalidArgument(loaded) || options_.exit_on_error) return 1;
  }
  if (options_.exit_on_error && !manager_->AllReady()) return ExitOnLoadError(*manager_);
  return std::nullopt;
}

void Server::StartPoller() {
  if (mode_ != ModelControlMode::kPoll) return;
  poller_ = std::make_unique<lifecycle::RepositoryPoller>(
      *manager_, std::chrono::seconds(options_.repository_poll_secs));
}

void Server::BuildService() {
  service_ = std::make_unique<Service>(
      *manager_,
      ServiceOptions{options_.server_id, INFERD_VERSION, ServerExtensions(),
                     options_.strict_readiness, options_.max_inflight, mode_},
      observability_->store().inflight());
  // Front ends call the observing decorator: request ids, logs, traces.
  observed_ = std::make_unique<ObservedService>(*service_, observability_->tracer());
  shared_memory_ = std::make_unique<core::SharedMemoryRegistry>(core::SharedMemoryOptions{
      static_cast<size_t>(std::max(0, options_.shared_memory_max_regions))});
}

Status Server::StartHttp() {
  if (!options_.allow_http) return absl::OkStatus();
  frontend::http::HttpOptions http_options;
  http_options.request_counters = &observability_->store().http();
  http_options.tracer = &observability_->tracer();
  http_options.address = options_.http_address;
  http_options.port = options_.http_port;
  // Half the cores: measured on 2 cores, one IO thread beats two (no strand hops between IO
  // threads: p50 64 vs 104 us, 20.4k vs 18.0k req/s on `simple`), and models need the rest.
  http_options.threads =
      options_.http_threads > 0 ? options_.http_threads : std::max(1, Cores() / 2);
  http_options.max_input_size = options_.http_max_input_size;
  // A large JSON tensor takes milliseconds to decode: one IO thread decoding them in turn would
  // serialise every client (and starve dynamic batching of simultaneous arrivals).
  http_options.offload_threads =
      options_.http_offload_threads >= 0 ? options_.http_offload_threads : Cores();
  http_options.offload_min_bytes = options_.http_offload_min_bytes;
  http_options.predict = {/*image_input=*/true, options_.default_model};
  ApplyHttpConnectionOptions(options_, http_options);
  http_options.restricted_apis = restricted_.http;
  http_options.tls = tls_.http;
  http_options.shared_memory = shared_memory_.get();
  http_ = std::make_unique<frontend::http::HttpServer>(*observed_, http_options);
  ASSIGN_OR_RETURN(const int port, http_->Start());
  AnnounceListening("HTTP", options_.http_address, port);
  return absl::OkStatus();
}

Status Server::StartGrpc() {
  if (!options_.allow_grpc) return absl::OkStatus();
  frontend::grpc::GrpcOptions grpc_options{options_.grpc_address, options_.grpc_port,
                                           options_.grpc_max_message_size,
                                           &observability_->store().grpc()};
  grpc_options.stream = {options_.grpc_stream_max_inflight, options_.grpc_stream_max_queued_bytes};
  grpc_options.max_memory = options_.grpc_max_memory;
  grpc_options.max_threads = options_.grpc_max_threads;
  grpc_options.max_concurrent_streams = options_.grpc_max_concurrent_streams;
  grpc_options.connection = GrpcConnectionSettings(options_);
  grpc_options.infer_compression_level = GrpcInferCompressionLevel(options_);
  grpc_options.accept_compressed_requests = options_.grpc_accept_compressed_requests;
  grpc_options.restricted_protocols = restricted_.grpc;
  grpc_options.tls = tls_.grpc;
  grpc_options.shared_memory = shared_memory_.get();
  grpc_ = std::make_unique<frontend::grpc::GrpcServer>(*observed_, std::move(grpc_options));
  ASSIGN_OR_RETURN(const int port, grpc_->Start());
  AnnounceListening("gRPC", options_.grpc_address, port);
  return absl::OkStatus();
}

Status Server::StartMetrics() { return observability_->StartMetrics(*service_, tls_.metrics); }

int Server::WaitForSignal() {
  const int signal = signals_->Wait();
  signals_->ExitOnNextSignal();
  return signal;
}

// Shutdown order (docs/threading.md): not ready (still serving, so load balancers notice), then
// refuse new requests, drain queued and in-flight ones and unload the models, wait for their
// responses to be written.
void Server::Drain(int signal) {
  spdlog::info("received signal {}: not ready; serving {} s more, then draining", signal,
               options_.shutdown_grace_secs);
  service_->BeginShutdown();
  if (grpc_) grpc_->SetServing(false);
  std::this_thread::sleep_for(Seconds(options_.shutdown_grace_secs));
  const auto deadline = std::chrono::steady_clock::now() + Seconds(options_.exit_timeout_secs);
  service_->RefuseNewRequests();
  if (poller_) poller_->Stop();
  manager_->UnloadAll();
  if (http_ && !http_->WaitForPendingResponses(deadline)) {
    spdlog::warn("exit timeout: closing connections with responses still pending");
  }
}

// Then stop the front ends and the metrics listener; the backends go with the Server.
void Server::StopInOrder() {
  if (http_) http_->Stop();
  if (grpc_) grpc_->Stop();
  observability_->Stop();
}

}  // namespace inferd::server
