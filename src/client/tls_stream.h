// Client-side TLS of the HTTP transports (HttpConnection, AsyncHttp): the OpenSSL context built
// from TlsOptions, and a stream that is plain TCP or TLS over TCP so that the transports are
// written once. Internal to the client library (includes Boost; not installed).
//
// Thread-safety: a TlsConfig is immutable once made and shared by every connection; a
// ClientStream belongs to one connection and its thread or IO context.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "boost/asio/io_context.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"
#include "client/client_options.h"
#include "common/status.h"

namespace inferd::client {

struct TlsConfig {
  // Set when a file could not be used: every connection then fails with it (never falls back to
  // plain text).
  Status error;
  boost::asio::ssl::context context{boost::asio::ssl::context::tls_client};
};

// Null when `options` do not ask for TLS.
std::shared_ptr<TlsConfig> MakeTlsConfig(const ClientOptions& options);
// The same checks, as a Status (CreateClient reports a bad file before any connection).
Status CheckTlsFiles(const ClientOptions& options);

class ClientStream {
 public:
  using Tls = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  ClientStream(boost::asio::io_context& ioc, std::shared_ptr<TlsConfig> tls, std::string host);

  boost::beast::tcp_stream& Tcp() { return tls_ ? boost::beast::get_lowest_layer(*tls_) : *plain_; }
  // Runs `f` with the stream to read and write (the TLS stream, or the TCP stream).
  template <typename F>
  void Visit(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }
  // After connecting: the TLS handshake (server certificate and host name checked), bounded by
  // the stream's current deadline; immediately done for plain TCP.
  template <typename Handler>
  void AsyncHandshake(Handler&& handler) {
    if (!tls_) return handler(boost::beast::error_code{});
    if (!config_->error.ok())
      return handler(boost::beast::error_code(EINVAL, boost::system::generic_category()));
    tls_->async_handshake(boost::asio::ssl::stream_base::client, std::forward<Handler>(handler));
  }
  const Status& config_error() const { return config_->error; }
  bool tls() const { return tls_.has_value(); }
  // Closes the connection; the next connect starts a fresh TLS session.
  void Close();

 private:
  void NewTlsSession();

  boost::asio::io_context& ioc_;
  std::shared_ptr<TlsConfig> config_;
  std::string host_;
  std::optional<boost::beast::tcp_stream> plain_;
  std::optional<Tls> tls_;
};

}  // namespace inferd::client
