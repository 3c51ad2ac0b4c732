#include "metrics/metrics_server.h"

#include <array>
#include <chrono>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"
#include "common/accept_backoff.h"
#include "common/tcp_listen.h"
#include "metrics/text_format.h"

namespace inferd::metrics {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr auto kLingerTime = std::chrono::seconds(2);
// Scrapes are GETs: no body, a short target. The limits are those of the HTTP port.
constexpr uint32_t kMaxHeaderSize = 16 << 10;
constexpr uint64_t kMaxBodySize = 64 << 10;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// One scrape connection over a plain or a TLS stream (`tls_context` null for plain; held so a
// reload never frees the context under an open connection).
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  using Response = bhttp::response<bhttp::string_body>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

  Session(Stream stream, std::shared_ptr<net::ssl::context> tls_context, const Registry& registry)
      : tls_context_(std::move(tls_context)), stream_(std::move(stream)), registry_(registry) {}

  // The handshake is bounded like a request: a client that never completes it is closed.
  void Start() {
    if constexpr (std::is_same_v<Stream, PlainStream>) {
      Read();
    } else {
      Tcp().expires_after(kIdleTimeout);
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = shared_from_this()](beast::error_code ec) {
                                if (!ec) self->Read();
                              });
    }
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderSize);
    parser_->body_limit(kMaxBodySize);
    Tcp().expires_after(kIdleTimeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  // A request over a limit, or one that does not parse, is answered and the connection closed
  // (the rest of the stream cannot be trusted); a closed or timed-out connection just ends.
  void OnRead(beast::error_code ec) {
    if (!ec) return Respond(parser_->release());
    if (ec == bhttp::error::header_limit) {
      return Reply(
          Error(bhttp::status::request_header_fields_too_large, "request header fields too large"));
    }
    if (ec == bhttp::error::body_limit) {
      return Reply(Error(bhttp::status::payload_too_large, "request body too large"));
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      return Reply(Error(bhttp::status::bad_request, "malformed HTTP request"));
    }
  }

  static std::shared_ptr<Response> Error(bhttp::status status, std::string_view text) {
    auto response = std::make_shared<Response>(status, 11);
    response->set(bhttp::field::content_type, "text/plain");
    response->body() = std::string(text) + "\n";
    response->keep_alive(false);
    return response;
  }

  void Respond(const bhttp::request<bhttp::string_body>& request) {
    auto response = std::make_shared<Response>(bhttp::status::ok, 11);
    std::string_view target(request.target().data(), request.target().size());
    target = target.substr(0, target.find('?'));
    if (target != "/metrics") {
      response->result(bhttp::status::not_found);
      response->set(bhttp::field::content_type, "text/plain");
      response->body() = "Not Found\n";
    } else if (request.method() != bhttp::verb::get && request.method() != bhttp::verb::head) {
      response->result(bhttp::status::method_not_allowed);
      response->set(bhttp::field::allow, "GET");
    } else {
      response->set(bhttp::field::content_type, kTextContentType);
      response->body() = registry_.Render();
    }
    response->keep_alive(request.keep_alive());
    Reply(std::move(response), request.method() == bhttp::verb::head);
  }

  void Reply(std::shared_ptr<Response> response, bool head = false) {
    response->set(bhttp::field::server, "inferd");
    response->prepare_payload();
    if (head) response->body().clear();
    bhttp::async_write(stream_, *response,
                       [self = shared_from_this(), response](beast::error_code ec, size_t) {
                         if (ec || !response->keep_alive()) {
                           beast::error_code ignored;
                           self->Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
                           if (!ec) self->DiscardUntilClosed();
                           return;
                         }
                         self->Read();
                       });
  }

  // Closing a socket with unread bytes (the rest of an oversized head) sends RST, and the client
  // may then lose the error response: stop sending, read and drop what still comes for a
  // bounded time, then close.
  void DiscardUntilClosed() {
    Tcp().expires_after(kLingerTime);
    Tcp().async_read_some(net::buffer(discard_.data(), discard_.size()),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (!ec) self->DiscardUntilClosed();
                          });
  }

  std::shared_ptr<net::ssl::context> tls_context_;  // before stream_: it outlives it
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::array<char, 4096> discard_{};
  const Registry& registry_;
};

}  // namespace

// The io_context is declared last so it is destroyed first, with the sessions its handlers hold.
struct MetricsServer::Impl {
  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) return AcceptAfterBackoff(backoff, accept_timer, ec, [this] { Accept(); });
      backoff.OnSuccess();
      StartSession(std::move(socket));
      Accept();
    });
  }

  void StartSession(tcp::socket socket) {
    if (options.tls == nullptr) {
      std::make_shared<Session<PlainStream>>(PlainStream(std::move(socket)), nullptr, registry)
          ->Start();
      return;
    }
    auto context = options.tls->Current();
    TlsStream stream(PlainStream(std::move(socket)), *context);
    std::make_shared<Session<TlsStream>>(std::move(stream), std::move(context), registry)->Start();
  }

  Impl(const Registry& r, MetricsServerOptions o) : registry(r), options(std::move(o)) {}
  const Registry& registry;
  MetricsServerOptions options;
  std::thread thread;
  bool started = false;
  bool stopped = false;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_timer{ioc};
  AcceptBackoff backoff{"metrics"};
};

MetricsServer::MetricsServer(const Registry& registry, MetricsServerOptions options)
    : impl_(std::make_unique<Impl>(registry, std::move(options))) {}

MetricsServer::~MetricsServer() { Stop(); }

StatusOr<int> MetricsServer::Start() {
  Impl& s = *impl_;
  if (s.started) return absl::FailedPreconditionError("the metrics server was already started");
  s.started = true;
  ASSIGN_OR_RETURN(const int port,
                   Listen(s.acceptor, s.options.address, s.options.port, "metrics"));
  s.Accept();
  s.thread = std::thread([&s] { s.ioc.run(); });
  return port;
}

void MetricsServer::Stop() {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.ioc.stop();
  if (s.thread.joinable()) s.thread.join();
  beast::error_code ignored;
  s.acceptor.close(ignored);
}

}  // namespace inferd::metrics
