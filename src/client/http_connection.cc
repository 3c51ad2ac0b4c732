#include "client/http_connection.h"

#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/tls_stream.h"

namespace inferd::client {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

struct HttpConnection::Impl {
  Impl(std::string h, int p, std::chrono::milliseconds t, std::chrono::milliseconds ct,
       std::shared_ptr<TlsConfig> tls)
      : host(std::move(h)),
        port(p),
        timeout(t),
        connect_timeout(std::min(t, ct)),
        stream(ioc, std::move(tls), host) {}

  Status EnsureConnected() {
    if (stream.Tcp().socket().is_open()) return absl::OkStatus();
    if (stream.tls()) RETURN_IF_ERROR(stream.config_error());
    beast::error_code ec;
    tcp::resolver resolver(ioc);
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) return absl::UnavailableError(absl::StrCat("resolve ", host, ": ", ec.message()));
    // Beast's stream deadlines apply to asynchronous operations only: run them to completion
    // on this connection's own io_context.
    stream.Tcp().expires_after(connect_timeout);
    stream.Tcp().async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      if (!e) stream.AsyncHandshake([&](beast::error_code h) { ec = h; });
    });
    RunToCompletion();
    if (ec == beast::error::timeout) {
      return absl::DeadlineExceededError(
          absl::StrCat("connect to ", host, ":", port, " timed out"));
    }
    if (ec) {
      Close();
      return absl::UnavailableError(
          absl::StrCat("connect to ", host, ":", port, ": ", ec.message()));
    }
    // Requests go out as header + body writes; Nagle would hold the body for the server's ACK.
    stream.Tcp().socket().set_option(tcp::no_delay(true), ec);
    return absl::OkStatus();
  }

  StatusOr<HttpResponse> RoundTrip(const http::request<http::string_body>& request) {
    beast::error_code write_ec, read_ec;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::numeric_limits<uint64_t>::max());
    stream.Tcp().expires_after(timeout);  // one deadline for writing the request and the answer
    stream.Visit([&](auto& s) {
      http::async_write(s, request, [&](beast::error_code e, size_t) {
        write_ec = e;
        if (!e) {
          http::async_read(s, buffer, parser, [&](beast::error_code r, size_t) { read_ec = r; });
        }
      });
    });
    RunToCompletion();
    if (write_ec) return Fail("write", write_ec);
    if (read_ec) return Fail("read", read_ec);
    auto& message = parser.get();
    HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      response.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
          std::string(field.value());
    }
    response.body = std::move(message.body());
    if (!message.keep_alive()) Close();
    return response;
  }

  void RunToCompletion() {
    ioc.restart();
    ioc.run();
  }

  Status Fail(const char* what, const beast::error_code& ec) {
    Close();
    if (ec == beast::error::timeout) {
      return absl::DeadlineExceededError(absl::StrCat("HTTP ", what, " timed out"));
    }
    return absl::UnavailableError(absl::StrCat("HTTP ", what, " failed: ", ec.message()));
  }

  void Close() { stream.Close(); }

  std::string host;
  int port;
  std::chrono::milliseconds timeout;
  std::chrono::milliseconds connect_timeout;
  boost::asio::io_context ioc;
  ClientStream stream;
};

HttpConnection::HttpConnection(std::string host, int port, std::chrono::milliseconds timeout,
                               std::chrono::milliseconds connect_timeout,
                               std::shared_ptr<TlsConfig> tls)
    : impl_(std::make_unique<Impl>(std::move(host), port, timeout, connect_timeout,
                                   std::move(tls))) {}

HttpConnection::~HttpConnection() = default;

StatusOr<HttpResponse> HttpConnection::Request(std::string_view method, std::string_view target,
                                               std::string_view body,
                                               const std::map<std::string, std::string>& headers) {
  // A kept-alive connection the server has since closed fails on first use: retry once, fresh.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = impl_->stream.Tcp().socket().is_open();
    RETURN_IF_ERROR(impl_->EnsureConnected());
    http::request<http::string_body> request(
        http::string_to_verb(beast::string_view(method.data(), method.size())),
        beast::string_view(target.data(), target.size()), 11);
    request.set(http::field::host, impl_->host);
    request.keep_alive(true);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() || method == "POST") {
      request.body() = std::string(body);
      request.prepare_payload();
    }
    auto response = impl_->RoundTrip(request);
    // A timeout is the server being slow, not a stale connection: never resend.
    if (response.ok() || !reused || absl::IsDeadlineExceeded(response.status())) return response;
  }
  return absl::UnavailableError("HTTP request failed after reconnecting");
}

}  // namespace inferd::client
