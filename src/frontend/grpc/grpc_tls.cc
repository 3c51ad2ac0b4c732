#include "frontend/grpc/grpc_tls.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "spdlog/spdlog.h"

namespace inferd::frontend::grpc {
namespace {

constexpr unsigned kRefreshSeconds = 1;
constexpr char kIdentity[] = "identity.pem";  // key + certificate chain
constexpr char kRoots[] = "roots.pem";

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read '", path, "'"));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes `text` beside `path` (owner-only) and renames it over `path`: a reader sees the old or
// the new file, never a mix.
Status ReplaceFile(const std::filesystem::path& path, const std::string& text) {
  const std::string temporary = path.string() + ".new";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot write '", temporary, "'"));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot replace '", path.string(), "'"));
  }
  return absl::OkStatus();
}

}  // namespace

StatusOr<std::shared_ptr<GrpcTls>> GrpcTls::Create(GrpcTlsOptions options) {
  if (options.server_cert.empty() || options.server_key.empty()) {
    return absl::InvalidArgumentError(
        "--grpc-use-ssl needs --grpc-server-cert and --grpc-server-key");
  }
  if (options.use_mutual_auth && options.root_cert.empty()) {
    return absl::InvalidArgumentError("--grpc-use-ssl-mutual needs --grpc-root-cert");
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/inferd-grpc-tls-XXXXXX");
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a directory like '", pattern, "'"));
  }
  std::shared_ptr<GrpcTls> out(new GrpcTls(std::move(options), buffer.data()));
  RETURN_IF_ERROR(out->Stage());
  return out;
}

GrpcTls::~GrpcTls() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Status GrpcTls::Stage() {
  absl::MutexLock lock(&mu_);
  // OpenSSL's checks first (the same as the HTTP port's): readable PEM, key matches certificate.
  const std::string roots = options_.root_cert;
  if (auto checked = tls::MakeServerContext({options_.server_cert, options_.server_key, roots});
      !checked.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("gRPC port: ", std::string(checked.status().message())));
  }
  ASSIGN_OR_RETURN(std::string key, ReadFile(options_.server_key));
  ASSIGN_OR_RETURN(std::string cert, ReadFile(options_.server_cert));
  RETURN_IF_ERROR(ReplaceFile(dir_ / kIdentity, absl::StrCat(key, "\n", cert)));
  if (!roots.empty()) {
    ASSIGN_OR_RETURN(std::string ca, ReadFile(roots));
    RETURN_IF_ERROR(ReplaceFile(dir_ / kRoots, ca));
  }
  return absl::OkStatus();
}

Status GrpcTls::Reload() {
  if (Status s = Stage(); !s.ok()) {
    spdlog::error("gRPC port: TLS reload failed, keeping the previous certificate: {}",
                  std::string(s.message()));
    return s;
  }
  spdlog::info("gRPC port: TLS certificate reloaded from '{}'", options_.server_cert);
  return absl::OkStatus();
}

std::shared_ptr<::grpc::ServerCredentials> GrpcTls::Credentials() const {
  namespace exp = ::grpc::experimental;
  const std::string identity = (dir_ / kIdentity).string();
  std::shared_ptr<exp::CertificateProviderInterface> provider;
  if (options_.root_cert.empty()) {
    provider =
        std::make_shared<exp::FileWatcherCertificateProvider>(identity, identity, kRefreshSeconds);
  } else {
    provider = std::make_shared<exp::FileWatcherCertificateProvider>(
        identity, identity, (dir_ / kRoots).string(), kRefreshSeconds);
  }
  exp::TlsServerCredentialsOptions tls(provider);
  tls.watch_identity_key_cert_pairs();
  if (!options_.root_cert.empty()) tls.watch_root_certs();
  tls.set_cert_request_type(options_.use_mutual_auth
                                ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  return exp::TlsServerCredentials(tls);
}

}  // namespace inferd::frontend::grpc
