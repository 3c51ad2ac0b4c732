// The HTTP limit for the tiny-request benchmark (bench/run_wrk_simple.sh): the least a server must
// do to answer `simple` in KServe v2 JSON over HTTP/1.1 keep-alive with Boost.Beast and RapidJSON,
// and nothing more. It parses the request, adds and subtracts the two INT32 tensors and writes
// the v2 answer: no model, no queue, no routing table, no metrics, no timeouts. inferd's req/s
// divided by this one's, in the same run, is how close inferd is to the wire.
// Usage: http_limit_server PORT [THREADS]   (port 0 picks one; prints "listening on PORT")
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// The v2 answer for `simple`, or an empty string when the request is not a valid one.
std::string Answer(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("inputs")) return {};
  const auto& inputs = doc["inputs"];
  if (!inputs.IsArray() || inputs.Size() != 2) return {};
  int32_t a[16];
  int32_t b[16];
  for (int t = 0; t < 2; ++t) {
    const auto& data = inputs[t]["data"];
    if (!data.IsArray() || data.Size() != 16) return {};
    for (int i = 0; i < 16; ++i) (t == 0 ? a : b)[i] = data[i].GetInt();
  }
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  w.Key("model_name");
  w.String("simple");
  w.Key("model_version");
  w.String("1");
  w.Key("outputs");
  w.StartArray();
  for (int o = 0; o < 2; ++o) {
    w.StartObject();
    w.Key("name");
    w.String(o == 0 ? "OUTPUT0" : "OUTPUT1");
    w.Key("datatype");
    w.String("INT32");
    w.Key("shape");
    w.StartArray();
    w.Int(1);
    w.Int(16);
    w.EndArray();
    w.Key("data");
    w.StartArray();
    for (int i = 0; i < 16; ++i) w.Int(o == 0 ? a[i] + b[i] : a[i] - b[i]);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
  void Read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return;
                       self->Respond();
                     });
  }

 private:
  void Respond() {
    std::string answer = Answer(request_.body());
    response_ = {};
    response_.version(11);
    response_.keep_alive(request_.keep_alive());
    if (answer.empty()) {
      response_.result(http::status::bad_request);
    } else {
      response_.result(http::status::ok);
      response_.set(http::field::content_type, "application/json");
      response_.body() = std::move(answer);
    }
    response_.prepare_payload();
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec || !self->response_.keep_alive()) return;
                        self->Read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

void Accept(tcp::acceptor& acceptor, asio::io_context& io) {
  acceptor.async_accept(asio::make_strand(io), [&](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket))->Read();
    }
    Accept(acceptor, io);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]);
    return 2;
  }
  const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
  asio::io_context io(threads);
  tcp::acceptor acceptor(
      io, {asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(std::atoi(argv[1]))});
  std::printf("listening on %u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  Accept(acceptor, io);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
}
