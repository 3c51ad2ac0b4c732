// Asynchronous HTTP/1.1 keep-alive requests to one server on one IO thread (Boost.Asio): the
// transport of HttpClient::AsyncInfer. Any number of requests may be in flight; each gets a
// pooled connection (a new one while fewer than `max_connections` exist, else it waits for one).
//
// Thread-safe: Send may be called from any thread, including from a completion callback.
// Callbacks run on the IO thread and must not block. The destructor waits for every request
// sent before it to complete (each is bounded by the request timeout).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "client/http_connection.h"
#include "common/status.h"

namespace inferd::client {

class AsyncHttp {
 public:
  using Done = std::function<void(StatusOr<HttpResponse>)>;

  // `tls` set: HTTPS (MakeTlsConfig).
  AsyncHttp(std::string host, int port, std::chrono::milliseconds connect_timeout,
            std::chrono::milliseconds request_timeout, int max_connections,
            std::shared_ptr<TlsConfig> tls = nullptr);
  ~AsyncHttp();
  AsyncHttp(const AsyncHttp&) = delete;
  AsyncHttp& operator=(const AsyncHttp&) = delete;

  // POSTs `body` to `target`; `done` is called exactly once.
  void Post(std::string target, std::string body, std::map<std::string, std::string> headers,
            Done done);
  // Sends `request`, a whole serialized HTTP/1.1 request (start line, headers, body), as it is:
  // the bytes are written from the shared buffer, never copied. The answer is parsed minimally:
  // `done` gets the status code and, for a non-2xx answer only, the first KB of the body (for
  // the error message); no headers, no 2xx body.
  void PostRaw(std::shared_ptr<const std::string> request, Done done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inferd::client
