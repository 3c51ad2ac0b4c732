#include "tools/tls_flags.h"

#include "CLI/CLI.hpp"

namespace inferd::tools {

void AddTlsFlags(CLI::App& command, client::TlsOptions& tls) {
  command.add_flag("--ssl", tls.enabled,
                   "Use TLS (HTTPS, or gRPC over TLS); also on for https:// and grpcs:// URLs");
  const auto implies_tls = [&tls](const std::string&) { tls.enabled = true; };
  command
      .add_option("--ssl-ca", tls.ca_file,
                  "PEM CA certificates the server's certificate must chain to (default: the "
                  "system's)")
      ->each(implies_tls);
  command.add_option("--ssl-cert", tls.cert_file, "PEM client certificate (mutual TLS)")
      ->each(implies_tls);
  command.add_option("--ssl-key", tls.key_file, "PEM private key of --ssl-cert")->each(implies_tls);
}

}  // namespace inferd::tools
