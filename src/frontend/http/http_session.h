// One HTTP/1.1 connection: reads a request, routes it, writes the response, repeats while the
// client keeps the connection alive. Internal to the HTTP front end. Written once over its
// transport: `Stream` is a plain TCP stream or a beast::ssl_stream over one (HTTPS); the
// timeouts, limits and disconnect watch act on the TCP layer under either.
//
// Threading: every socket operation runs on the connection's strand. Responses may arrive from
// any thread (inference completion); they are posted to the strand.
// Lifetime: the ConnectionRegistry holds each live session, so a session waiting for inference
// (no socket operation pending) stays alive; completion callbacks hold only a weak_ptr, so no
// session outlives the server's io_context. Once the registry is stopped, late completions are
// dropped.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/beast/core/basic_stream.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"
#include "common/thread_pool.h"
#include "core/cancellation.h"
#include "frontend/http/http_message.h"
#include "frontend/http/http_server.h"
#include "frontend/http/router.h"

namespace inferd::frontend::http {

// What the registry holds of a session, whatever its transport.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the socket. Only once the IO threads have stopped (from Stop()).
  virtual void CloseSocket() = 0;
};

// Each IO thread runs its own io_context and a connection lives on one of them, so a session's
// handlers never run concurrently without a strand, and the executor type is concrete (no
// type-erased executor copied on every operation).
using IoExecutor = boost::asio::io_context::executor_type;
using TcpSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, IoExecutor>;
using PlainStream = boost::beast::basic_stream<boost::asio::ip::tcp, IoExecutor,
                                               boost::beast::unlimited_rate_policy>;
using TlsStream = boost::beast::ssl_stream<PlainStream>;

// The server's set of live connections and its stopped flag, shared with in-flight callbacks.
// Thread-safe.
class ConnectionRegistry : public std::enable_shared_from_this<ConnectionRegistry> {
 public:
  bool Add(std::shared_ptr<Connection> session);  // false once stopped
  size_t Size();                                  // live connections
  void Remove(const Connection* session);
  // Runs `fn` under the lock unless stopped, so the io_context is alive while `fn` posts to it.
  template <typename Fn>
  void IfRunning(Fn&& fn) {
    absl::MutexLock lock(&mu_);
    if (!stopped_) fn();
  }
  // Marks the registry stopped and hands back every live session.
  std::unordered_map<const Connection*, std::shared_ptr<Connection>> Stop();

  // A token held from a request's dispatch until its response is written (or dropped), so a
  // graceful shutdown can wait for responses still on their way out.
  std::shared_ptr<void> TrackResponse();
  // True once no response is pending; false if `deadline` came first.
  bool WaitNoPendingResponses(std::chrono::steady_clock::time_point deadline);

 private:
  absl::Mutex mu_;
  int64_t pending_responses_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::unordered_map<const Connection*, std::shared_ptr<Connection>> sessions_ ABSL_GUARDED_BY(mu_);
};

template <typename Stream>
class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  // `tls_context` is the context `stream` was made with (null for a plain stream): held so a
  // certificate reload never frees it under this connection.
  // `offload` (may be null) routes large requests off the IO thread (HttpOptions).
  HttpSession(Stream stream, std::shared_ptr<boost::asio::ssl::context> tls_context, Router& router,
              const HttpOptions& options, std::shared_ptr<ConnectionRegistry> registry,
              ThreadPool* offload);

  void Start();
  void CloseSocket() override;

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, PlainStream>;
  using std::enable_shared_from_this<HttpSession<Stream>>::shared_from_this;
  using std::enable_shared_from_this<HttpSession<Stream>>::weak_from_this;

  PlainStream& Tcp() { return boost::beast::get_lowest_layer(stream_); }
  // TLS only: the first bytes must be a handshake (plain HTTP gets a 400), then the handshake,
  // all within the header timeout.
  void ReadClientHello();
  void Handshake();
  void RefusePlainText();
  void ReadNextRequest();
  void ReadHeader();
  void ReadBody();
  void OnHeader(boost::beast::error_code ec);
  void OnBody(boost::beast::error_code ec);
  // Answers `response` (the router's RefuseOnHead) instead of reading the body, then drops the
  // body's bytes (DiscardBody) or closes.
  void RefuseBeforeBody(HttpResponse& response);
  void DiscardBody();
  void Dispatch();
  // While a request is in flight, watches the socket: EOF or an error means the client is gone,
  // and its request is cancelled so a queued request is never executed for nobody.
  void WatchForDisconnect(core::CancellationToken cancel);
  void Write(HttpResponse response, bool keep_alive, std::shared_ptr<void> pending = nullptr);
  void Fail(boost::beast::http::status code, std::string_view message);
  void Finish();
  void LingerThenClose();
  void DiscardUntilClosed();

  std::shared_ptr<boost::asio::ssl::context> tls_context_;  // before stream_: it outlives it
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<HttpResponse> response_;  // the one being written
  std::string head_;                      // its status line and fields, formatted
  Router& router_;
  const HttpOptions& options_;
  std::shared_ptr<ConnectionRegistry> registry_;
  ThreadPool* offload_;
  bool keep_alive_ = false;
  uint64_t discard_remaining_ = 0;     // bytes of a refused request's body still to drop
  std::array<char, 16384> discard_{};  // sink for a rejected body's remaining bytes
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

}  // namespace inferd::frontend::http
