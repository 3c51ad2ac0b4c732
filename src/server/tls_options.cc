// TLS flags of `inferd serve`: HTTPS on the HTTP and metrics ports (inferd's own flags) and TLS on
// gRPC under Triton's flag names and meaning. Registered by AddServeOptions.
#include "server/tls_options.h"

#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace inferd::server {
namespace {

void AddPortTlsOptions(CLI::App& command, const std::string& port, ServeOptions::PortTls& tls) {
  command.add_option("--" + port + "-ssl-cert", tls.cert,
                     "PEM certificate chain: the " + port + " port serves HTTPS only (with --" +
                         port + "-ssl-key; re-read on SIGHUP)");
  command.add_option("--" + port + "-ssl-key", tls.key,
                     "PEM private key of --" + port + "-ssl-cert");
  command.add_option("--" + port + "-ssl-client-ca", tls.client_ca,
                     "PEM CA certificates: " + port +
                         " clients must present a certificate they signed (mutual TLS)");
}

StatusOr<std::shared_ptr<tls::ReloadableTlsContext>> PortContext(const ServeOptions::PortTls& flags,
                                                                 const std::string& port) {
  if (flags.cert.empty() && flags.key.empty()) {
    if (!flags.client_ca.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("--", port, "-ssl-client-ca needs --", port,
                                                     "-ssl-cert and --", port, "-ssl-key"));
    }
    return std::shared_ptr<tls::ReloadableTlsContext>();
  }
  if (flags.cert.empty() || flags.key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", port, "-ssl-cert and --", port, "-ssl-key go together"));
  }
  return tls::ReloadableTlsContext::Create({flags.cert, flags.key, flags.client_ca},
                                           absl::StrCat(port, " port"));
}

}  // namespace

void AddTlsOptions(CLI::App& command, ServeOptions& options) {
  AddPortTlsOptions(command, "http", options.http_tls);
  AddPortTlsOptions(command, "metrics", options.metrics_tls);
  auto& g = options.grpc_tls;
  command.add_option("--grpc-use-ssl", g.use_ssl, "Serve gRPC over TLS (Triton's flag)")
      ->default_val(false);
  command
      .add_option("--grpc-use-ssl-mutual", g.use_mutual,
                  "Serve gRPC over mutual TLS: clients need a certificate signed by "
                  "--grpc-root-cert (implies --grpc-use-ssl)")
      ->default_val(false);
  command.add_option("--grpc-server-cert", g.server_cert, "PEM certificate chain of the gRPC port");
  command.add_option("--grpc-server-key", g.server_key, "PEM private key of --grpc-server-cert");
  command.add_option("--grpc-root-cert", g.root_cert,
                     "PEM CA certificates that gRPC clients' certificates must chain to");
}

StatusOr<ServerTls> MakeServerTls(const ServeOptions& options) {
  ServerTls out;
  ASSIGN_OR_RETURN(out.http, PortContext(options.http_tls, "http"));
  ASSIGN_OR_RETURN(out.metrics, PortContext(options.metrics_tls, "metrics"));
  const auto& g = options.grpc_tls;
  if (options.allow_grpc && (g.use_ssl || g.use_mutual)) {
    // As Triton: the mutual flag implies TLS.
    ASSIGN_OR_RETURN(out.grpc, frontend::grpc::GrpcTls::Create(
                                   {true, g.use_mutual, g.server_cert, g.server_key, g.root_cert}));
  }
  return out;
}

std::vector<std::shared_ptr<tls::Reloadable>> Reloadables(const ServerTls& tls) {
  std::vector<std::shared_ptr<tls::Reloadable>> out;
  if (tls.http) out.push_back(tls.http);
  if (tls.metrics) out.push_back(tls.metrics);
  if (tls.grpc) out.push_back(tls.grpc);
  return out;
}

TlsReloadOnSighup::TlsReloadOnSighup(std::vector<std::shared_ptr<tls::Reloadable>> contexts)
    : contexts_(std::move(contexts)) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  watcher_ = std::thread([this] {
    for (;;) {
      int signal = 0;
      sigwait(&set_, &signal);
      if (stopping_.load()) return;
      spdlog::info("received SIGHUP: reloading TLS certificates");
      for (const auto& context : contexts_) (void)context->Reload();  // Reload logs its errors
    }
  });
}

// The watcher is woken by a SIGHUP aimed at it, which it takes as the order to stop.
TlsReloadOnSighup::~TlsReloadOnSighup() {
  stopping_.store(true);
  pthread_kill(watcher_.native_handle(), SIGHUP);
  watcher_.join();
}

}  // namespace inferd::server
