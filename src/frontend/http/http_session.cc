#include "frontend/http/http_session.h"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "boost/asio/buffer.hpp"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/bind_handler.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/field.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "common/tls_context.h"
#include "frontend/http/endpoint_label.h"

namespace inferd::frontend::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr uint64_t kMaxReadBuffer = 1 << 20;
constexpr size_t kIdleReadBuffer = 64 << 10;
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kFirstRead = 4096;  // first read of a keep-alive connection's next request

// Errors of the HTTP parser (bad syntax) as opposed to the socket (closed, reset, timed out).
bool IsParseError(beast::error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// The bytes a request's route must parse: a binary-tensor request's JSON header only (its tensor
// bytes are viewed in place, however large), else the whole body (JSON, an image, multipart).
size_t BytesToDecode(const HttpRequest& request) {
  const size_t body = request.body().size();
  const auto it = request.find("Inference-Header-Content-Length");
  if (it == request.end()) return body;
  uint64_t header = 0;
  const auto value = it->value();
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), header);
  if (error != std::errc() || end != value.data() + value.size()) return body;
  return static_cast<size_t>(std::min<uint64_t>(header, body));
}

// "HTTP/1.1 <code> <reason>\r\n" then every field, then the blank line, into `head` (reused).
void FormatHead(const HttpResponse& message, std::string& head) {
  head.clear();
  head.append("HTTP/1.1 ");
  const unsigned code = message.result_int();
  char digits[3] = {static_cast<char>('0' + code / 100 % 10),
                    static_cast<char>('0' + code / 10 % 10), static_cast<char>('0' + code % 10)};
  head.append(digits, 3);
  head.push_back(' ');
  const auto reason = message.reason();
  head.append(reason.data(), reason.size());
  head.append("\r\n");
  for (const auto& field : message) {
    const auto name = field.name_string();
    const auto value = field.value();
    head.append(name.data(), name.size());
    head.append(": ");
    head.append(value.data(), value.size());
    head.append("\r\n");
  }
  head.append("\r\n");
}

// The answer of the request this thread is dispatching, when it comes before Dispatch's call into
// the router returns. `session` tells a synchronous answer from another session's completion
// that happens to run on this thread.
struct SynchronousAnswer {
  const void* session;
  std::optional<HttpResponse> response;
  std::shared_ptr<void> pending;
};
thread_local SynchronousAnswer* t_synchronous_answer = nullptr;

}  // namespace

bool ConnectionRegistry::Add(std::shared_ptr<Connection> session) {
  absl::MutexLock lock(&mu_);
  if (stopped_) return false;
  const Connection* key = session.get();
  sessions_.emplace(key, std::move(session));
  return true;
}

size_t ConnectionRegistry::Size() {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

void ConnectionRegistry::Remove(const Connection* session) {
  std::shared_ptr<Connection> last;  // destroyed after the lock is released
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  last = std::move(it->second);
  sessions_.erase(it);
}

std::unordered_map<const Connection*, std::shared_ptr<Connection>> ConnectionRegistry::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  return std::exchange(sessions_, {});
}

std::shared_ptr<void> ConnectionRegistry::TrackResponse() {
  {
    absl::MutexLock lock(&mu_);
    ++pending_responses_;
  }
  return std::shared_ptr<void>(nullptr, [this, self = shared_from_this()](void*) {
    absl::MutexLock lock(&mu_);
    --pending_responses_;
  });
}

bool ConnectionRegistry::WaitNoPendingResponses(std::chrono::steady_clock::time_point deadline) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(
      absl::Condition(
          +[](int64_t* pending) { return *pending == 0; }, &pending_responses_),
      absl::FromChrono(deadline - std::chrono::steady_clock::now()));
}

template <typename Stream>
HttpSession<Stream>::HttpSession(Stream stream,
                                 std::shared_ptr<boost::asio::ssl::context> tls_context,
                                 Router& router, const HttpOptions& options,
                                 std::shared_ptr<ConnectionRegistry> registry, ThreadPool* offload)
    : tls_context_(std::move(tls_context)),
      stream_(std::move(stream)),
      router_(router),
      options_(options),
      registry_(std::move(registry)),
      offload_(offload) {}

template <typename Stream>
void HttpSession<Stream>::Start() {
  if (!registry_->Add(shared_from_this())) return;
  if constexpr (kTls) {
    boost::asio::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&HttpSession::ReadClientHello, shared_from_this()));
  } else {
    boost::asio::dispatch(stream_.get_executor(),
                          beast::bind_front_handler(&HttpSession::ReadHeader, shared_from_this()));
  }
}

template <typename Stream>
void HttpSession<Stream>::CloseSocket() {
  beast::error_code ignored;
  Tcp().socket().close(ignored);
}

// The handshake counts against the header timeout: a client that connects and never finishes
// its handshake is closed like one that never finishes its request head.
template <typename Stream>
void HttpSession<Stream>::ReadClientHello() {
  Tcp().expires_after(options_.header_timeout);
  Tcp().async_read_some(
      buffer_.prepare(kFirstRead), [self = shared_from_this()](beast::error_code ec, size_t n) {
        if (ec) return self->Finish();
        self->buffer_.commit(n);
        const auto* first = static_cast<const unsigned char*>(self->buffer_.data().data());
        if (!tls::LooksLikeTlsHandshake(*first)) return self->RefusePlainText();
        self->Handshake();
      });
}

template <typename Stream>
void HttpSession<Stream>::Handshake() {
  if constexpr (kTls) {
    stream_.async_handshake(boost::asio::ssl::stream_base::server, buffer_.data(),
                            [self = shared_from_this()](beast::error_code ec, size_t used) {
                              // Wrong CA, no client certificate, old protocol: nothing to answer
                              // in HTTP, the TLS alert already told the client.
                              if (ec) return self->Finish();
                              self->buffer_.consume(used);
                              self->ReadHeader();
                            });
  }
}

// Plain HTTP sent to the HTTPS port: a readable 400 in plain text, then close.
template <typename Stream>
void HttpSession<Stream>::RefusePlainText() {
  static constexpr std::string_view kResponse =
      "HTTP/1.1 400 Bad Request\r\n"
      "Server: inferd\r\n"
      "Connection: close\r\n"
      "Content-Type: application/json\r\n"
      "Content-Length: 53\r\n"
      "\r\n"
      "{\"error\":\"this port requires TLS: use https:// here\"}";
  static_assert(kResponse.size() - kResponse.find("\r\n\r\n") - 4 == 53,
                "Content-Length must match the body");
  if (options_.request_counters != nullptr) {
    options_.request_counters->Increment(HttpEndpoints().size() - 1, 400);
  }
  buffer_.clear();
  boost::asio::async_write(Tcp(), boost::asio::buffer(kResponse),
                           [self = shared_from_this()](beast::error_code ec, size_t) {
                             if (ec) return self->Finish();
                             self->LingerThenClose();
                           });
}

// Between requests on a keep-alive connection: the client may stay silent up to the idle timeout.
// Its next request head is then due within the header timeout of its first byte.
template <typename Stream>
void HttpSession<Stream>::ReadNextRequest() {
  // An idle keep-alive connection should not hold a large body's read buffer.
  if (buffer_.size() == 0 && buffer_.capacity() > kIdleReadBuffer) buffer_.shrink_to_fit();
  if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next head has begun
  Tcp().expires_after(options_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstRead),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            if (ec) return self->Finish();  // closed, or idle too long
                            self->buffer_.commit(n);
                            self->ReadHeader();
                          });
}

// The whole head must arrive within the header timeout: a client trickling a partial head (or
// a new connection sending nothing) is closed then, instead of holding a connection for ever.
template <typename Stream>
void HttpSession<Stream>::ReadHeader() {
  parser_.emplace();
  parser_->body_limit(options_.max_input_size);
  parser_->header_limit(static_cast<uint32_t>(options_.max_header_size));
  Tcp().expires_after(options_.header_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

// The body has a progress timeout rather than a total one: each read must bring bytes within
// the body timeout, so a large upload on a slow link still completes while a stalled one ends.
template <typename Stream>
void HttpSession<Stream>::ReadBody() {
  if (parser_->is_done()) return OnBody({});
  Tcp().expires_after(options_.body_timeout);
  bhttp::async_read_some(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, size_t) {
                           if (ec) return self->OnBody(ec);
                           self->ReadBody();
                         });
}

template <typename Stream>
void HttpSession<Stream>::OnHeader(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) {
    return Fail(bhttp::status::request_header_fields_too_large, "request header too large");
  }
  if (ec == bhttp::error::body_limit) {  // Content-Length alone is already over the limit
    return Fail(bhttp::status::payload_too_large, "request body exceeds the maximum input size");
  }
  if (ec) {
    // A clean close or a timeout ends the connection quietly (the stream closed the socket on
    // timeout, so no 408 can be sent); garbage gets a 400.
    if (!IsParseError(ec)) return Finish();
    return Fail(bhttp::status::bad_request, std::string("malformed HTTP request: ") + ec.message());
  }
  // Overload: a request its model would refuse now is refused before its body is read. A body
  // already in the buffer costs nothing more to read, and the scheduler refuses it as quickly, so
  // a small request (the common case) skips this second route match.
  const auto body_length = parser_->content_length();
  const bool body_here = body_length.has_value() && buffer_.size() >= *body_length;
  if (options_.refuse_on_head && !body_here) {
    if (auto refusal = router_.RefuseOnHead(parser_->get())) return RefuseBeforeBody(*refusal);
  }
  // Beast reads at most the buffer's free capacity per call (512 bytes when the buffer has never
  // grown): a 600 KB tensor took ~1,200 reads and 17 ms. Size the buffer for the body instead.
  if (const auto length = parser_->content_length(); length && *length > buffer_.capacity()) {
    buffer_.reserve(static_cast<size_t>(std::min<uint64_t>(*length, kMaxReadBuffer)));
  }
  // curl and others wait for "100 Continue" before sending a large body.
  const auto expect = parser_->get()[bhttp::field::expect];
  if (beast::iequals(expect, "100-continue")) {
    auto interim =
        std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    Tcp().expires_after(options_.body_timeout);  // the head's deadline no longer applies
    return bhttp::async_write(stream_, *interim,
                              [self = shared_from_this(), interim](beast::error_code wec, size_t) {
                                if (wec) return self->Finish();
                                self->ReadBody();
                              });
  }
  ReadBody();
}

// The body is never read into memory. With its length known the connection stays usable: after
// the answer the body's bytes are dropped (those already buffered, then in the kernel or through
// a scratch array), so the next request's head is found where it starts. A chunked body, or a
// client waiting for "100 Continue" (it may hold the body back or send it anyway, so where its
// next request starts is unknown), gets "Connection: close" and a lingering close instead.
template <typename Stream>
void HttpSession<Stream>::RefuseBeforeBody(HttpResponse& response) {
  const HttpRequest& head = parser_->get();
  const bool awaits_continue = beast::iequals(head[bhttp::field::expect], "100-continue");
  const bool keep_alive = head.keep_alive() && !parser_->chunked() && !awaits_continue;
  discard_remaining_ = keep_alive ? parser_->content_length().value_or(0) : 0;
  parser_.reset();
  Write(std::move(response), keep_alive);
}

template <typename Stream>
void HttpSession<Stream>::DiscardBody() {
  const uint64_t buffered = std::min<uint64_t>(buffer_.size(), discard_remaining_);
  buffer_.consume(static_cast<size_t>(buffered));
  discard_remaining_ -= buffered;
  if constexpr (!kTls) {
    // What has already arrived is dropped in the kernel: TCP's MSG_TRUNC discards without a copy
    // to user space, so a 600 KB body costs a few system calls, not 600 KB of copies. (Over TLS
    // the bytes must be decrypted to be counted: they go through the scratch array below.)
    while (discard_remaining_ > 0) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(discard_remaining_, 1u << 30));
      const ssize_t n =
          ::recv(Tcp().socket().native_handle(), nullptr, want, MSG_TRUNC | MSG_DONTWAIT);
      if (n <= 0) break;  // nothing more yet, or EOF or an error: the read below meets it
      discard_remaining_ -= static_cast<uint64_t>(n);
    }
  }
  if (discard_remaining_ == 0) return ReadNextRequest();
  Tcp().expires_after(options_.body_timeout);
  const size_t want = static_cast<size_t>(std::min<uint64_t>(discard_.size(), discard_remaining_));
  stream_.async_read_some(boost::asio::buffer(discard_.data(), want),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            if (ec) return self->Finish();
                            self->discard_remaining_ -= n;
                            self->DiscardBody();
                          });
}

template <typename Stream>
void HttpSession<Stream>::OnBody(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    return Fail(bhttp::status::payload_too_large, "request body exceeds the maximum input size");
  }
  if (ec && !IsParseError(ec)) return Finish();
  if (ec)
    return Fail(bhttp::status::bad_request, std::string("malformed HTTP request: ") + ec.message());
  Dispatch();
}

template <typename Stream>
void HttpSession<Stream>::Dispatch() {
  Tcp().expires_never();  // inference time is bounded by the request timeout, not the socket
  auto request = std::make_shared<HttpRequest>(parser_->release());
  keep_alive_ = request->keep_alive();
  // The callback holds the session weakly and locks it only while the registry runs, so a late
  // completion can never keep a session (and its socket) alive past the io_context.
  std::weak_ptr<HttpSession> weak = weak_from_this();
  auto cancel = std::make_shared<core::CancellationFlag>();
  const bool offload = offload_ != nullptr && BytesToDecode(*request) >= options_.offload_min_bytes;
  auto route = [&router = router_, request = std::move(request), weak, session = this,
                registry = registry_, pending = registry_->TrackResponse(), cancel]() mutable {
    router.Handle(
        std::move(request),
        // The router counts the response under its route's label.
        [weak, session, registry = std::move(registry),
         pending = std::move(pending)](HttpResponse response) mutable {
          if (SynchronousAnswer* answer = t_synchronous_answer;
              answer != nullptr && answer->session == session) {
            answer->response.emplace(std::move(response));
            answer->pending = std::move(pending);
            return;
          }
          registry->IfRunning([&] {
            auto self = weak.lock();
            if (!self) return;
            boost::asio::post(
                self->stream_.get_executor(),
                [self, response = std::move(response), pending = std::move(pending)]() mutable {
                  self->Write(std::move(response), self->keep_alive_, std::move(pending));
                });
          });
        },
        std::move(cancel));
  };
  // The pool outlives every session's use of it: the server joins the IO threads, then drains it.
  if (offload) {
    WatchForDisconnect(std::move(cancel));
    return offload_->Post(std::move(route));
  }
  // A request answered before Handle returns (an inline model, an error, metadata) is written
  // straight away: no post back to this strand and no disconnect watch, which cost a queued
  // operation, a socket wait and a recv per request.
  SynchronousAnswer answer{this};
  SynchronousAnswer* const outer = std::exchange(t_synchronous_answer, &answer);
  route();
  t_synchronous_answer = outer;
  if (answer.response.has_value()) {
    return Write(std::move(*answer.response), keep_alive_, std::move(answer.pending));
  }
  // While the request is in flight the strand is ours until this returns, so the watch starts
  // before any completion (posted to the strand) can write.
  WatchForDisconnect(std::move(cancel));
}

template <typename Stream>
void HttpSession<Stream>::WatchForDisconnect(core::CancellationToken cancel) {
  std::weak_ptr<HttpSession> weak = weak_from_this();
  Tcp().socket().async_wait(boost::asio::ip::tcp::socket::wait_read,
                            [weak, cancel = std::move(cancel)](beast::error_code ec) {
                              auto self = weak.lock();
                              if (!self || ec == boost::asio::error::operation_aborted) return;
                              if (!ec) {
                                // Readable: either the peer closed (a peek reads 0 bytes) or it
                                // pipelined its next request, which is not a disconnect. Never
                                // block here: the data may already have been consumed by the next
                                // read.
                                char byte;
                                const ssize_t n = ::recv(self->Tcp().socket().native_handle(),
                                                         &byte, 1, MSG_PEEK | MSG_DONTWAIT);
                                if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
                                  return;
                              }
                              cancel->Cancel();
                            });
}

template <typename Stream>
void HttpSession<Stream>::Write(HttpResponse response, bool keep_alive,
                                std::shared_ptr<void> pending) {
  // One response at a time per connection (the next request is read after this write), so the
  // session holds it rather than a new shared allocation per response.
  HttpResponse& message = response_.emplace(std::move(response));
  message.version(11);
  message.keep_alive(keep_alive);
  message.set(bhttp::field::server, "inferd");
  message.prepare_payload();
  // The head is formatted into a buffer the session reuses and goes out with the body in one
  // gather write: Beast's serializer walks a buffer sequence of every field piece by piece,
  // which cost more than the rest of the write for a small answer.
  FormatHead(message, head_);
  const std::array<boost::asio::const_buffer, 2> buffers = {boost::asio::buffer(head_),
                                                            boost::asio::buffer(message.body())};
  Tcp().expires_after(std::chrono::seconds(30));
  boost::asio::async_write(stream_, buffers,
                           [self = shared_from_this(), keep_alive, pending = std::move(pending)](
                               beast::error_code ec, size_t) mutable {
                             pending.reset();
                             self->response_.reset();
                             if (ec) return self->Finish();
                             if (!keep_alive) return self->LingerThenClose();
                             if (self->discard_remaining_ > 0) return self->DiscardBody();
                             self->ReadNextRequest();
                           });
}

// Answers a protocol-level failure and closes: the rest of the stream cannot be trusted.
template <typename Stream>
void HttpSession<Stream>::Fail(bhttp::status code, std::string_view message) {
  if (options_.request_counters != nullptr) {
    options_.request_counters->Increment(HttpEndpoints().size() - 1, static_cast<int>(code));
  }
  Write(ErrorResponse(code, message), false);
}

// Closing a socket with unread data makes the kernel send RST, and a client still uploading (a
// body over the limit) then sees "connection reset" instead of our 413. So: stop sending, read
// and discard what the client still sends for a bounded time, then close (a lingering close).
template <typename Stream>
void HttpSession<Stream>::LingerThenClose() {
  beast::error_code ignored;
  Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  Tcp().expires_after(kLingerTime);
  DiscardUntilClosed();
}

template <typename Stream>
void HttpSession<Stream>::DiscardUntilClosed() {
  Tcp().async_read_some(boost::asio::buffer(discard_.data(), discard_.size()),
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return self->Finish();
                          self->DiscardUntilClosed();
                        });
}

template <typename Stream>
void HttpSession<Stream>::Finish() {
  beast::error_code ignored;
  Tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  Tcp().socket().close(ignored);
  registry_->Remove(this);
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace inferd::frontend::http
