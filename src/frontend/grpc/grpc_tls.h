// TLS of the gRPC port with certificate rotation. gRPC reads certificates through its own
// file-watching provider; so that a rotation is atomic and checked first, the server hands gRPC
// a private copy: the key and the certificate chain in one file (so gRPC never reads a new
// certificate beside an old key) and the client CA in another, each replaced by a rename. The
// user's files are checked with OpenSSL (readable, key matches certificate) before every copy;
// a bad file leaves the current copy, and so the current certificate, in place.
//
// The copy lives in a fresh 0700 directory under $TMPDIR (default /tmp), removed on
// destruction. gRPC looks at it every second, so a reload takes effect within about a second.
// Thread-safety: Reload may run on any thread (one at a time); Credentials is called once, at
// start.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "common/status.h"
#include "common/tls_context.h"

namespace grpc {
class ServerCredentials;
}

namespace inferd::frontend::grpc {

// Triton's flags (--grpc-use-ssl, --grpc-use-ssl-mutual, --grpc-server-cert, --grpc-server-key,
// --grpc-root-cert).
struct GrpcTlsOptions {
  bool use_ssl = false;
  bool use_mutual_auth = false;  // clients must present a certificate signed by root_cert
  std::string server_cert;
  std::string server_key;
  std::string root_cert;
};

class GrpcTls : public tls::Reloadable {
 public:
  // Checks and copies the files. InvalidArgument naming the flag and file when one is bad.
  static StatusOr<std::shared_ptr<GrpcTls>> Create(GrpcTlsOptions options);
  ~GrpcTls() override;
  GrpcTls(const GrpcTls&) = delete;
  GrpcTls& operator=(const GrpcTls&) = delete;

  std::shared_ptr<::grpc::ServerCredentials> Credentials() const;
  Status Reload() override;

 private:
  GrpcTls(GrpcTlsOptions options, std::filesystem::path dir)
      : options_(std::move(options)), dir_(std::move(dir)) {}
  Status Stage();

  const GrpcTlsOptions options_;
  const std::filesystem::path dir_;
  absl::Mutex mu_;  // one Stage at a time
};

}  // namespace inferd::frontend::grpc
