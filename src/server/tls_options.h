// TLS of `inferd serve` (tls_options.cc): the flags of the three listeners, the contexts built
// from them at start-up, and their reload on SIGHUP. docs/security.md says how to use them.
#pragma once

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "common/status.h"
#include "common/tls_context.h"
#include "frontend/grpc/grpc_server.h"
#include "server/serve_options.h"

namespace inferd::server {

// The three ports' TLS (null = plain), built from the flags. InvalidArgument naming the flag and
// file when a file is missing, unreadable or the key does not match.
struct ServerTls {
  std::shared_ptr<tls::ReloadableTlsContext> http;
  std::shared_ptr<tls::ReloadableTlsContext> metrics;
  std::shared_ptr<frontend::grpc::GrpcTls> grpc;
};
StatusOr<ServerTls> MakeServerTls(const ServeOptions& options);
// The ones that are on, for TlsReloadOnSighup.
std::vector<std::shared_ptr<tls::Reloadable>> Reloadables(const ServerTls& tls);

// Re-reads every port's TLS files on SIGHUP (certificate rotation without a restart; a bad new
// file keeps the old context and logs an error). Only constructed when TLS is on, so SIGHUP keeps
// its default meaning otherwise. Construct before any other thread starts (SIGHUP is blocked and
// the mask inherited); owned by the main thread.
class TlsReloadOnSighup {
 public:
  explicit TlsReloadOnSighup(std::vector<std::shared_ptr<tls::Reloadable>> contexts);
  ~TlsReloadOnSighup();
  TlsReloadOnSighup(const TlsReloadOnSighup&) = delete;
  TlsReloadOnSighup& operator=(const TlsReloadOnSighup&) = delete;

 private:
  std::vector<std::shared_ptr<tls::Reloadable>> contexts_;
  sigset_t set_;
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

}  // namespace inferd::server
