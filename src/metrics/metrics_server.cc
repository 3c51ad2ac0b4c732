#include "metrics/metrics_server.h"

#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"
#include "common/tcp_listen.h"
#include "metrics/text_format.h"

namespace inferd::metrics {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(30);

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Registry& registry)
      : stream_(std::move(socket)), registry_(registry) {}

  void Read() {
    request_ = {};
    stream_.expires_after(kIdleTimeout);
    bhttp::async_read(stream_, buffer_, request_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (!ec) self->Respond();
                      });
  }

 private:
  void Respond() {
    auto response = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status::ok, 11);
    std::string_view target(request_.target().data(), request_.target().size());
    target = target.substr(0, target.find('?'));
    if (target != "/metrics") {
      response->result(bhttp::status::not_found);
      response->set(bhttp::field::content_type, "text/plain");
      response->body() = "Not Found\n";
    } else if (request_.method() != bhttp::verb::get && request_.method() != bhttp::verb::head) {
      response->result(bhttp::status::method_not_allowed);
      response->set(bhttp::field::allow, "GET");
    } else {
      response->set(bhttp::field::content_type, kTextContentType);
      response->body() = registry_.Render();
    }
    response->set(bhttp::field::server, "inferd");
    response->keep_alive(request_.keep_alive());
    response->prepare_payload();
    if (request_.method() == bhttp::verb::head) response->body().clear();
    bhttp::async_write(stream_, *response,
                       [self = shared_from_this(), response](beast::error_code ec, size_t) {
                         if (ec || !response->keep_alive()) {
                           beast::error_code ignored;
                           self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                           return;
                         }
                         self->Read();
                       });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  const Registry& registry_;
};

}  // namespace

// The io_context is declared last so it is destroyed first, with the sessions its handlers hold.
struct MetricsServer::Impl {
  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), registry)->Read();
      Accept();
    });
  }

  Impl(const Registry& r, MetricsServerOptions o) : registry(r), options(std::move(o)) {}
  const Registry& registry;
  MetricsServerOptions options;
  std::thread thread;
  bool started = false;
  bool stopped = false;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
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
