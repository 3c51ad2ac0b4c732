#include "client/async_http.h"

#include <deque>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/tls_stream.h"

namespace inferd::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct Request {
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
  AsyncHttp::Done done;
  std::shared_ptr<const std::string> raw;  // PostRaw: the serialized request, sent as it is
  bool resent = false;
};

// A response body that is counted, not stored: a 2xx body is dropped as it arrives; of an error
// answer the first kErrorPrefix bytes are kept for the message.
struct DiscardBody {
  static constexpr size_t kErrorPrefix = 1024;
  struct value_type {
    std::string error_prefix;
  };
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>& header, value_type& body)
        : body_(body), keep_(ResultOf(header) >= 300) {}
    void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      ec = {};
      size_t n = 0;
      for (const auto b : beast::buffers_range_ref(buffers)) {
        if (keep_ && body_.error_prefix.size() < kErrorPrefix) {
          body_.error_prefix.append(static_cast<const char*>(b.data()),
                                    std::min(b.size(), kErrorPrefix - body_.error_prefix.size()));
        }
        n += b.size();
      }
      return n;
    }
    void finish(beast::error_code& ec) { ec = {}; }

   private:
    template <class Fields>
    static int ResultOf(const http::header<false, Fields>& h) {
      return static_cast<int>(h.result_int());
    }
    value_type& body_;
    const bool keep_;
  };
};

struct Conn {
  Conn(asio::io_context& ioc, std::shared_ptr<TlsConfig> tls, const std::string& host)
      : stream(ioc, std::move(tls), host) {}
  ClientStream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  std::optional<http::response_parser<http::string_body>> parser;
  std::optional<http::response_parser<DiscardBody>> raw_parser;  // PostRaw answers
  bool reused = false;  // has served a request: the server may have closed it since
};

using ConnPtr = std::shared_ptr<Conn>;
using RequestPtr = std::shared_ptr<Request>;

Status ErrorOf(const char* what, const beast::error_code& ec) {
  if (ec == beast::error::timeout) {
    return absl::DeadlineExceededError(absl::StrCat("HTTP ", what, " timed out"));
  }
  return absl::UnavailableError(absl::StrCat("HTTP ", what, " failed: ", ec.message()));
}

}  // namespace

struct AsyncHttp::Impl {
  Impl(std::string h, int p, std::chrono::milliseconds ct, std::chrono::milliseconds rt, int max,
       std::shared_ptr<TlsConfig> t)
      : host(std::move(h)),
        port(p),
        connect_timeout(ct),
        request_timeout(rt),
        max_connections(max),
        tls(std::move(t)),
        work(asio::make_work_guard(ioc)),
        thread([this] { ioc.run(); }) {}

  ~Impl() {
    work.reset();  // run() returns once every request in flight has completed
    thread.join();
  }

  // Everything below runs on the IO thread.
  void Start(RequestPtr request) {
    ConnPtr conn;
    if (!idle.empty()) {
      conn = std::move(idle.back());
      idle.pop_back();
    } else if (max_connections <= 0 || open < max_connections) {
      conn = std::make_shared<Conn>(ioc, tls, host);
      ++open;
    } else {
      waiting.push_back(std::move(request));
      return;
    }
    Run(std::move(conn), std::move(request));
  }

  void Run(ConnPtr conn, RequestPtr request) {
    if (request->raw == nullptr) BuildRequest(*conn, *request);
    if (conn->stream.Tcp().socket().is_open()) {
      Write(std::move(conn), std::move(request));
    } else {
      Connect(std::move(conn), std::move(request));
    }
  }

  void BuildRequest(Conn& conn, Request& request) {
    auto& r = conn.request;
    r = {};
    r.method(http::verb::post);
    r.target(request.target);
    r.version(11);
    r.set(http::field::host, host);
    r.keep_alive(true);
    for (const auto& [name, value] : request.headers) r.set(name, value);
    r.body() = std::move(request.body);  // a resend reuses conn.request
    r.prepare_payload();
  }

  void Connect(ConnPtr conn, RequestPtr request) {
    conn->reused = false;
    if (!endpoints.has_value()) {
      beast::error_code ec;
      auto resolved = tcp::resolver(ioc).resolve(host, std::to_string(port), ec);
      if (ec) {
        return Finish(conn, request,
                      absl::UnavailableError(absl::StrCat("resolve ", host, ": ", ec.message())));
      }
      endpoints = std::move(resolved);
    }
    if (conn->stream.tls() && !conn->stream.config_error().ok()) {
      return Finish(conn, request, conn->stream.config_error());
    }
    conn->stream.Tcp().expires_after(connect_timeout);  // the TLS handshake included
    conn->stream.Tcp().async_connect(
        *endpoints, [this, conn, request](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return Finish(conn, request, ErrorOf("connect", ec));
          conn->stream.Tcp().socket().set_option(tcp::no_delay(true), ec);
          conn->stream.AsyncHandshake([this, conn, request](beast::error_code hec) {
            if (hec) {
              Close(*conn);
              return Finish(conn, request, ErrorOf("TLS handshake", hec));
            }
            Write(conn, request);
          });
        });
  }

  void Write(ConnPtr conn, RequestPtr request) {
    conn->stream.Tcp().expires_after(request_timeout);
    conn->stream.Visit([&](auto& stream) {
      if (request->raw != nullptr) {
        asio::async_write(stream, asio::buffer(*request->raw),
                          [this, conn, request](beast::error_code ec, size_t) {
                            if (ec) return Failed(conn, request, "write", ec);
                            ReadRaw(conn, request);
                          });
        return;
      }
      http::async_write(stream, conn->request, [this, conn, request](beast::error_code ec, size_t) {
        if (ec) return Failed(conn, request, "write", ec);
        Read(conn, request);
      });
    });
  }

  void Read(ConnPtr conn, RequestPtr request) {
    conn->parser.emplace();
    conn->parser->body_limit(std::numeric_limits<uint64_t>::max());
    conn->stream.Visit([&](auto& stream) {
      http::async_read(
          stream, conn->buffer, *conn->parser, [this, conn, request](beast::error_code ec, size_t) {
            if (ec) return Failed(conn, request, "read", ec);
            auto& message = conn->parser->get();
            HttpResponse response;
            response.status = static_cast<int>(message.result_int());
            for (const auto& field : message) {
              response.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
                  std::string(field.value());
            }
            response.body = std::move(message.body());
            if (!message.keep_alive()) Close(*conn);
            Finish(conn, request, std::move(response));
          });
    });
  }

  void ReadRaw(ConnPtr conn, RequestPtr request) {
    conn->raw_parser.emplace();
    conn->raw_parser->body_limit(std::numeric_limits<uint64_t>::max());
    conn->stream.Visit([&](auto& stream) {
      http::async_read(stream, conn->buffer, *conn->raw_parser,
                       [this, conn, request](beast::error_code ec, size_t) {
                         if (ec) return Failed(conn, request, "read", ec);
                         auto& message = conn->raw_parser->get();
                         HttpResponse response;
                         response.status = static_cast<int>(message.result_int());
                         response.body = std::move(message.body().error_prefix);
                         if (!message.keep_alive()) Close(*conn);
                         Finish(conn, request, std::move(response));
                       });
    });
  }

  // A kept-alive connection the server has since closed fails on first use: resend once, fresh.
  void Failed(ConnPtr conn, RequestPtr request, const char* what, const beast::error_code& ec) {
    Close(*conn);
    if (conn->reused && !request->resent && ec != beast::error::timeout) {
      request->resent = true;
      return Connect(std::move(conn), std::move(request));
    }
    Finish(conn, request, ErrorOf(what, ec));
  }

  void Finish(const ConnPtr& conn, const RequestPtr& request, StatusOr<HttpResponse> result) {
    conn->reused = true;
    Done done = std::move(request->done);
    // The connection goes to a waiting request or back to the pool before the callback runs,
    // so that a callback sending its next request finds it.
    if (!waiting.empty()) {
      RequestPtr next = std::move(waiting.front());
      waiting.pop_front();
      Run(conn, std::move(next));
    } else {
      idle.push_back(conn);
    }
    done(std::move(result));
  }

  static void Close(Conn& conn) {
    conn.stream.Close();
    conn.buffer.clear();
  }

  const std::string host;
  const int port;
  const std::chrono::milliseconds connect_timeout;
  const std::chrono::milliseconds request_timeout;
  const int max_connections;
  const std::shared_ptr<TlsConfig> tls;  // null = plain HTTP
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  // IO-thread state.
  std::optional<tcp::resolver::results_type> endpoints;
  std::vector<ConnPtr> idle;
  std::deque<RequestPtr> waiting;
  int open = 0;
  std::thread thread;  // last: starts after every member above exists
};

AsyncHttp::AsyncHttp(std::string host, int port, std::chrono::milliseconds connect_timeout,
                     std::chrono::milliseconds request_timeout, int max_connections,
                     std::shared_ptr<TlsConfig> tls)
    : impl_(std::make_unique<Impl>(std::move(host), port, connect_timeout, request_timeout,
                                   max_connections, std::move(tls))) {}

AsyncHttp::~AsyncHttp() = default;

void AsyncHttp::Post(std::string target, std::string body,
                     std::map<std::string, std::string> headers, Done done) {
  auto request = std::make_shared<Request>(
      Request{std::move(target), std::move(body), std::move(headers), std::move(done)});
  asio::post(impl_->ioc,
             [impl = impl_.get(), request]() mutable { impl->Start(std::move(request)); });
}

void AsyncHttp::PostRaw(std::shared_ptr<const std::string> raw, Done done) {
  auto request = std::make_shared<Request>();
  request->raw = std::move(raw);
  request->done = std::move(done);
  asio::post(impl_->ioc,
             [impl = impl_.get(), request]() mutable { impl->Start(std::move(request)); });
}

}  // namespace inferd::client
