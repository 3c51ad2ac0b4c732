// `inferd serve`: the Server owns everything a serving process is made of and the order in which
// it is built and torn down. Run() performs start-up as named steps (configure, build backends,
// open the repository, load models, start the front doors), waits for SIGINT/SIGTERM, then shuts
// down in order (docs/threading.md): not ready, drain, stop. Members are declared in start-up
// order, so they are destroyed in the reverse order whatever step returned early.
//
// One Server per process (it installs the signal handling); Run() is called once, from one thread.
#pragma once

#include <memory>
#include <optional>

#include "backend/registry/backend_registry.h"
#include "common/status.h"
#include "core/shared_memory.h"
#include "frontend/grpc/grpc_server.h"
#include "frontend/http/http_server.h"
#include "frontend/http/openapi/swagger_ui_assets.h"
#include "lifecycle/model_manager.h"
#include "lifecycle/repository_poller.h"
#include "server/backend_config.h"
#include "server/observability.h"
#include "server/observed_service.h"
#include "server/repository_files.h"
#include "server/restricted_api_options.h"
#include "server/serve_options.h"
#include "server/service.h"
#include "server/shutdown_signals.h"
#include "server/tls_options.h"

namespace inferd::server {

// How the model manager reads the repositories under `options` (auto-complete, default batch
// size, cores, instance bound, symlinks): serve and check-repository build it here, so that both
// judge a model alike.
lifecycle::ManagerOptions RepositoryManagerOptions(const ServeOptions& options,
                                                   const BackendConfig& backend_config);

class Server {
 public:
  explicit Server(const ServeOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts, serves until a signal, shuts down; returns the process exit code (0 after an orderly
  // shutdown, 1 when start-up failed, 2 for unusable options).
  int Run();

 private:
  // Start-up, in this order. A step that ends start-up returns the exit code.
  std::optional<int> Configure();   // logging, observability, control mode, signal mask
  Status BuildBackends();           // the registry of every backend this binary serves with
  void OpenRepository();            // the model manager over --model-repository folders
  std::optional<int> LoadModels();  // start-up loads, cancelled by a signal
  void StartPoller();               // --model-control-mode=poll
  void BuildService();              // the facade and its observing decorator
  Status StartHttp();
  Status StartGrpc();
  Status StartMetrics();
  // Serving, then shutdown, in this order.
  int WaitForSignal();
  void Drain(int signal);  // not ready, grace period, refuse new requests, unload the models
  void StopInOrder();      // front doors, then observability

  const ServeOptions& options_;
  ModelControlMode mode_ = ModelControlMode::kNone;
  RestrictedApis
      restricted_;  // per front door, from --http-restricted-api/--grpc-restricted-protocol
  BackendConfig backend_config_;  // --backend-config, parsed in Configure
  std::unique_ptr<Observability> observability_;
  ServerTls tls_;                                // per port; null members = plain
  std::optional<TlsReloadOnSighup> tls_reload_;  // only when some port has TLS
  std::unique_ptr<ShutdownSignals> signals_;
  backend::BackendRegistry backends_;
  std::unique_ptr<RepositoryFiles> model_files_;  // read by the manager's loads: outlives it
  std::unique_ptr<lifecycle::ModelManager> manager_;
  std::unique_ptr<lifecycle::RepositoryPoller> poller_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<ObservedService> observed_;
  std::unique_ptr<core::SharedMemoryRegistry> shared_memory_;
  std::shared_ptr<const frontend::http::SwaggerUiAssets> docs_;  // GET /docs; null = absent
  std::unique_ptr<frontend::http::HttpServer> http_;
  std::unique_ptr<frontend::grpc::GrpcServer> grpc_;
};

}  // namespace inferd::server
