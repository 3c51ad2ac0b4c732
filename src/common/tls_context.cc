#include "common/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace inferd::tls {
namespace {

namespace ssl = boost::asio::ssl;

// OpenSSL's queued errors as one line (the queue is emptied, so a later call starts clean).
std::string OpenSslErrors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

Status FileError(std::string_view what, const std::string& path) {
  return absl::InvalidArgumentError(
      absl::StrCat("TLS ", std::string(what), " '", path, "': ", OpenSslErrors()));
}

}  // namespace

StatusOr<std::shared_ptr<ssl::context>> MakeServerContext(const ServerTlsFiles& files) {
  if (files.cert.empty() || files.key.empty()) {
    return absl::InvalidArgumentError("TLS needs both a certificate file and a key file");
  }
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  // TLS 1.0/1.1 are deprecated (RFC 8996); compression enables CRIME; client-initiated
  // renegotiation is a denial-of-service lever.
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(native, files.cert.c_str()) != 1) {
    return FileError("certificate", files.cert);
  }
  if (SSL_CTX_use_PrivateKey_file(native, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS key '", files.key, "' cannot be read or does not match certificate '",
                     files.cert, "': ", OpenSslErrors()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("TLS key '", files.key,
                                                   "' does not match certificate '", files.cert,
                                                   "': ", OpenSslErrors()));
  }
  if (!files.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(native, files.client_ca.c_str(), nullptr) != 1) {
      return FileError("client CA", files.client_ca);
    }
    // The CA names are sent in the CertificateRequest so clients pick the right certificate.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca.c_str());
    if (names == nullptr) return FileError("client CA", files.client_ca);
    SSL_CTX_set_client_CA_list(native, names);
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return context;
}

ReloadableTlsContext::ReloadableTlsContext(ServerTlsFiles files, std::string what,
                                           std::shared_ptr<ssl::context> context)
    : files_(std::move(files)), what_(std::move(what)), context_(std::move(context)) {}

StatusOr<std::shared_ptr<ReloadableTlsContext>> ReloadableTlsContext::Create(ServerTlsFiles files,
                                                                             std::string what) {
  auto context = MakeServerContext(files);
  if (!context.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", std::string(context.status().message())));
  }
  return std::shared_ptr<ReloadableTlsContext>(
      new ReloadableTlsContext(std::move(files), std::move(what), *std::move(context)));
}

std::shared_ptr<ssl::context> ReloadableTlsContext::Current() const {
  absl::MutexLock lock(&mu_);
  return context_;
}

Status ReloadableTlsContext::Reload() {
  auto context = MakeServerContext(files_);
  if (!context.ok()) {
    spdlog::error("{}: TLS reload failed, keeping the previous certificate: {}", what_,
                  std::string(context.status().message()));
    return context.status();
  }
  {
    absl::MutexLock lock(&mu_);
    context_ = *std::move(context);
  }
  spdlog::info("{}: TLS certificate reloaded from '{}'", what_, files_.cert);
  return absl::OkStatus();
}

}  // namespace inferd::tls
