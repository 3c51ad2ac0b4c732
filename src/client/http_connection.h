// A blocking HTTP/1.1 keep-alive connection to one server, with a deadline on every request.
// The transport under inferd's C++ client library (and its tests and tools).
//
// Not thread-safe: one request at a time per connection; use one connection per thread. The
// deadlines are real: the blocking calls run asynchronous operations on a private io_context.
// Reconnects on the next request after the server closed the connection.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace inferd::client {

struct TlsConfig;  // tls_stream.h

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class HttpConnection {
 public:
  // `timeout` bounds each request (connecting included); `connect_timeout` the connect (and the
  // TLS handshake) alone. `tls` set: HTTPS (MakeTlsConfig).
  HttpConnection(std::string host, int port,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30),
                 std::chrono::milliseconds connect_timeout = std::chrono::seconds(30),
                 std::shared_ptr<TlsConfig> tls = nullptr);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Unavailable on connection failures, DeadlineExceeded on timeouts (the connection is then
  // closed).
  StatusOr<HttpResponse> Request(std::string_view method, std::string_view target,
                                 std::string_view body = {},
                                 const std::map<std::string, std::string>& headers = {});
  StatusOr<HttpResponse> Get(std::string_view target) { return Request("GET", target); }
  StatusOr<HttpResponse> Post(std::string_view target, std::string_view body,
                              const std::map<std::string, std::string>& headers = {}) {
    return Request("POST", target, body, headers);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inferd::client
