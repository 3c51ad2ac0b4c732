#include "frontend/http/http_server.h"

#include <array>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/write.hpp"
#include "common/accept_backoff.h"
#include "common/tcp_listen.h"
#include "frontend/http/endpoint_label.h"
#include "frontend/http/http_session.h"
#include "frontend/http/router.h"

namespace inferd::frontend::http {

namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::string_view kOverLimitResponse =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Server: inferd\r\n"
    "Connection: close\r\n"
    "Retry-After: 1\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 47\r\n"
    "\r\n"
    "{\"error\":\"too many open connections to inferd\"}";
static_assert(kOverLimitResponse.size() - kOverLimitResponse.find("\r\n\r\n") - 4 == 47,
              "Content-Length must match the body");

// Over --http-max-connections: answer 503 + Retry-After (like every "not now" answer, so clients
// that retry on it back off) and close without ever creating a session, so a flood
// of connections costs the server no buffers and no timers. The fresh socket's send buffer is
// empty, so a non-blocking write of the short answer does not block. Bytes the client already
// sent are drained first: closing with unread data would send a reset that can discard the 503.
// An HTTPS port just closes: a plain-text 503 would be garbage to a TLS client, and a handshake
// is the very cost the refusal avoids.
void RefuseConnection(TcpSocket socket, bool tls) {
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  std::array<char, 4096> sink;
  while (socket.read_some(net::buffer(sink), ignored) > 0) {
  }
  if (!tls) net::write(socket, net::buffer(kOverLimitResponse), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

// The first IO thread's context, which also runs the acceptor. A hint of 1: only its own thread
// runs it (other threads only post to it).
std::vector<std::unique_ptr<net::io_context>> FirstContext() {
  std::vector<std::unique_ptr<net::io_context>> contexts;
  contexts.push_back(std::make_unique<net::io_context>(1));
  return contexts;
}

}  // namespace

// Member order matters: the io_context is destroyed before the router and options that its
// pending handlers' sessions refer to.
struct HttpServer::Impl {
  Impl(core::InferenceService& service, HttpOptions opts)
      : options(std::move(opts)),
        router(service, DecodeLimits{options.max_input_size, options.max_json_depth},
               options.tracer, options.predict,
               RouterOptions{
                   options.restricted_apis, options.request_counters, options.shared_memory,
                   CorsPolicy(options.cors_allow_origins, options.restricted_apis), options.docs}) {
  }

  // Connections are spread over the IO threads' contexts in turn; the acceptor lives on the first.
  void Accept() {
    net::io_context& target = *contexts[next_context];
    next_context = (next_context + 1) % contexts.size();
    acceptor.async_accept(target, [this](boost::system::error_code ec, TcpSocket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      // A failed accept (e.g. out of descriptors) must not stop the listener, nor spin.
      if (ec) return AcceptAfterBackoff(backoff, accept_timer, ec, [this] { Accept(); });
      backoff.OnSuccess();
      if (registry->Size() >= options.max_connections) {
        RefuseConnection(std::move(socket), options.tls != nullptr);
        // Counted like other protocol-level refusals, so a full server shows in the metrics.
        if (options.request_counters != nullptr) {
          options.request_counters->Increment(HttpEndpoints().size() - 1, 503);
        }
        return Accept();
      }
      // A response is written as header + body: without TCP_NODELAY, Nagle's algorithm and
      // the client's delayed ACK stall every large response by tens of milliseconds.
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      StartSession(std::move(socket));
      Accept();
    });
  }

  void StartSession(TcpSocket socket) {
    if (options.tls == nullptr) {
      std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), nullptr, router,
                                                 options, registry, offload.get())
          ->Start();
      return;
    }
    auto context = options.tls->Current();
    TlsStream stream(PlainStream(std::move(socket)), *context);
    std::make_shared<HttpSession<TlsStream>>(std::move(stream), std::move(context), router, options,
                                             registry, offload.get())
        ->Start();
  }

  HttpOptions options;
  Router router;
  std::shared_ptr<ConnectionRegistry> registry = std::make_shared<ConnectionRegistry>();
  // After the router: its queued tasks route through it (Stop drains it after the IO threads).
  std::unique_ptr<ThreadPool> offload;
  // One per IO thread (created in Start), each run by its thread alone.
  std::vector<std::unique_ptr<net::io_context>> contexts = FirstContext();
  size_t next_context = 0;  // touched only by the accept chain
  tcp::acceptor acceptor{*contexts[0]};
  net::steady_timer accept_timer{*contexts[0]};
  AcceptBackoff backoff{"HTTP"};  // touched only by the accept chain
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

HttpServer::HttpServer(core::InferenceService& service, HttpOptions options)
    : impl_(std::make_unique<Impl>(service, std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

StatusOr<int> HttpServer::Start() {
  Impl& s = *impl_;
  if (s.started) return absl::FailedPreconditionError("the HTTP server was already started");
  s.started = true;
  if (s.options.threads < 1) return absl::InvalidArgumentError("HTTP threads must be at least 1");
  if (s.options.offload_threads < 0) {
    return absl::InvalidArgumentError("HTTP offload threads must not be negative");
  }
  ASSIGN_OR_RETURN(const int port, Listen(s.acceptor, s.options.address, s.options.port, "HTTP"));
  if (s.options.offload_threads > 0) {
    s.offload = std::make_unique<ThreadPool>(s.options.offload_threads);
  }
  for (int i = 1; i < s.options.threads; ++i) {
    s.contexts.push_back(std::make_unique<net::io_context>(1));
  }
  s.Accept();
  for (auto& context : s.contexts) {
    s.threads.emplace_back([&context = *context] {
      // Sessions come and go: the context must not run out of work between connections.
      auto guard = net::make_work_guard(context);
      context.run();
    });
  }
  return port;
}

bool HttpServer::WaitForPendingResponses(std::chrono::steady_clock::time_point deadline) {
  return impl_->registry->WaitNoPendingResponses(deadline);
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  // Late completions are dropped from here on; then no IO thread touches a session again.
  auto sessions = s.registry->Stop();
  for (auto& context : s.contexts) context->stop();
  for (auto& thread : s.threads) thread.join();
  s.threads.clear();
  // Requests already handed to the pool are routed; their answers are dropped (registry stopped).
  s.offload.reset();
  boost::system::error_code ignored;
  s.acceptor.close(ignored);
  for (auto& [key, session] : sessions) session->CloseSocket();
  sessions.clear();
}

}  // namespace inferd::frontend::http
