// Server-side TLS for inferd's Beast listeners (HTTP and metrics ports): one OpenSSL context built
// from PEM files (TLS 1.2 and later only, optional client-certificate verification), and a holder
// that swaps in a context re-read from the same files on request (certificate rotation on SIGHUP).
//
// Lifetime: a session takes the current context with Current() and keeps that shared_ptr for its
// whole life, so a reload never frees a context an open connection still uses.
// Thread-safety: ReloadableTlsContext is thread-safe (Current() from any IO thread, Reload() from
// the signal thread).
#pragma once

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/ssl/context.hpp"
#include "common/status.h"

namespace inferd::tls {

// PEM files of one listener. Empty cert and key = plain TCP.
struct ServerTlsFiles {
  std::string cert;       // certificate chain, leaf first
  std::string key;        // private key of the leaf (unencrypted)
  std::string client_ca;  // non-empty: clients must present a certificate signed by one of these

  bool enabled() const { return !cert.empty() || !key.empty(); }
};

// A server context: TLS 1.2+, no compression, no renegotiation, the key checked against the
// certificate. InvalidArgument naming the file and OpenSSL's reason when a file is missing,
// unreadable or does not match.
StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeServerContext(const ServerTlsFiles& files);

// Something whose certificates can be re-read (on SIGHUP). Thread-safe.
class Reloadable {
 public:
  virtual ~Reloadable() = default;
  // On failure the current certificates stay, and the error is logged and returned.
  virtual Status Reload() = 0;
};

class ReloadableTlsContext : public Reloadable {
 public:
  // Builds the first context; an error here stops start-up. `what` names the listener in logs.
  static StatusOr<std::shared_ptr<ReloadableTlsContext>> Create(ServerTlsFiles files,
                                                                std::string what);

  std::shared_ptr<boost::asio::ssl::context> Current() const;
  // Re-reads the files. On success new connections use the new context; on failure the current
  // one stays and the error is returned (and logged).
  Status Reload() override;
  const std::string& what() const { return what_; }

 private:
  ReloadableTlsContext(ServerTlsFiles files, std::string what,
                       std::shared_ptr<boost::asio::ssl::context> context);

  const ServerTlsFiles files_;
  const std::string what_;
  mutable absl::Mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> context_ ABSL_GUARDED_BY(mu_);
};

// True when `first_byte` can start a TLS connection (a handshake record). Lets a TLS port answer a
// plain-text HTTP client with a readable error instead of a handshake failure.
inline bool LooksLikeTlsHandshake(unsigned char first_byte) { return first_byte == 0x16; }

}  // namespace inferd::tls
