#include "client/tls_stream.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/ssl/host_name_verification.hpp"

namespace inferd::client {
namespace {

namespace ssl = boost::asio::ssl;

Status FileError(const char* what, const std::string& path) {
  std::string reason = "unknown error";
  if (const unsigned long code = ERR_get_error(); code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    reason = buffer;
  }
  ERR_clear_error();
  return absl::InvalidArgumentError(absl::StrCat("TLS ", what, " '", path, "': ", reason));
}

Status Configure(const TlsOptions& tls, ssl::context& context) {
  SSL_CTX* native = context.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  if (tls.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(native) != 1) return FileError("system CAs", "");
  } else if (SSL_CTX_load_verify_locations(native, tls.ca_file.c_str(), nullptr) != 1) {
    return FileError("CA file", tls.ca_file);
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return absl::InvalidArgumentError("TLS: a client certificate needs both a cert and a key file");
  }
  if (!tls.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(native, tls.cert_file.c_str()) != 1) {
      return FileError("client certificate", tls.cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(native, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(native) != 1) {
      return FileError("client key", tls.key_file);
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool UsesTls(const ClientOptions& options) {
  return options.tls.enabled || absl::StartsWith(options.url, "https://") ||
         absl::StartsWith(options.url, "grpcs://");
}

std::shared_ptr<TlsConfig> MakeTlsConfig(const ClientOptions& options) {
  if (!UsesTls(options)) return nullptr;
  auto config = std::make_shared<TlsConfig>();
  ERR_clear_error();
  config->error = Configure(options.tls, config->context);
  return config;
}

Status CheckTlsFiles(const ClientOptions& options) {
  auto config = MakeTlsConfig(options);
  return config == nullptr ? absl::OkStatus() : config->error;
}

ClientStream::ClientStream(boost::asio::io_context& ioc, std::shared_ptr<TlsConfig> tls,
                           std::string host)
    : ioc_(ioc), config_(std::move(tls)), host_(std::move(host)) {
  if (config_ == nullptr) {
    plain_.emplace(ioc_);
  } else {
    NewTlsSession();
  }
}

void ClientStream::NewTlsSession() {
  tls_.emplace(ioc_, config_->context);
  // SNI, and the certificate must name the host (or IP address) the client was given.
  SSL_set_tlsext_host_name(tls_->native_handle(), host_.c_str());
  tls_->set_verify_callback(ssl::host_name_verification(host_));
}

void ClientStream::Close() {
  boost::beast::error_code ignored;
  Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  Tcp().close();
  if (tls_) NewTlsSession();  // an SSL session cannot be reused after its connection closed
}

}  // namespace inferd::client
