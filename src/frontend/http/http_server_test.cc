#include "frontend/http/http_server.h"

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "frontend/http/http_message.h"
#include "gtest/gtest.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// A blocking-style test client whose every operation is bounded by a 10 s deadline.
class Client {
 public:
  explicit Client(int port) {
    stream_.expires_after(std::chrono::seconds(10));
    stream_.async_connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)),
        [](beast::error_code) {});
    Run();
  }

  void SendRaw(const std::string& bytes) {
    stream_.expires_after(std::chrono::seconds(10));
    net::async_write(stream_, net::buffer(bytes), [](beast::error_code, size_t) {});
    Run();
  }

  // nullopt when the server closed the connection or the deadline passed.
  std::optional<HttpResponse> Read() {
    HttpResponse response;
    beast::error_code result;
    stream_.expires_after(std::chrono::seconds(10));
    bhttp::async_read(stream_, buffer_, response,
                      [&](beast::error_code ec, size_t) { result = ec; });
    Run();
    if (result) return std::nullopt;
    return response;
  }

  std::optional<HttpResponse> Call(bhttp::verb method, const std::string& target,
                                   std::string body = "",
                                   std::optional<size_t> header_length = std::nullopt) {
    HttpRequest request(method, target, 11);
    request.set(bhttp::field::host, "localhost");
    if (header_length)
      request.set("Inference-Header-Content-Length", std::to_string(*header_length));
    request.body() = std::move(body);
    request.prepare_payload();
    stream_.expires_after(std::chrono::seconds(10));
    bhttp::async_write(stream_, request, [](beast::error_code, size_t) {});
    Run();
    return Read();
  }

  void Close() { stream_.close(); }

 private:
  void Run() {
    ioc_.run();
    ioc_.restart();
  }

  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Serve(HttpOptions{}); }
  void Serve(HttpOptions options) {
    if (server_ != nullptr) server_->Stop();
    options.address = "127.0.0.1";
    options.port = 0;
    options.max_input_size = 1 << 20;
    server_ = std::make_unique<HttpServer>(service_, options);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
  }
  void TearDown() override { server_->Stop(); }

  testing::FakeInferenceService service_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

const char kInferJson[] =
    R"({"id":"7","inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1.5,2.5]}]})";

TEST_F(HttpServerTest, HealthMetadataAndKeepAlive) {
  Client client(port_);
  auto live = client.Call(bhttp::verb::get, "/v2/health/live");
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->result(), bhttp::status::ok);
  auto metadata = client.Call(bhttp::verb::get, "/v2");  // same connection
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->result(), bhttp::status::ok);
  EXPECT_EQ((*metadata)[bhttp::field::content_type], "application/json");
  EXPECT_NE(metadata->body().find("\"inferd\""), std::string::npos);
  auto missing = client.Call(bhttp::verb::get, "/nope");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->result(), bhttp::status::not_found);
  auto wrong = client.Call(bhttp::verb::put, "/v2/health/live");
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->result(), bhttp::status::method_not_allowed);
}

TEST_F(HttpServerTest, InferJsonAndBinary) {
  Client client(port_);
  auto json = client.Call(bhttp::verb::post, "/v2/models/echo/infer", kInferJson);
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(json->result(), bhttp::status::ok) << json->body();
  EXPECT_EQ(json->body(), R"({"model_name":"echo","model_version":"1","id":"7","outputs":[)"
                          R"({"name":"x","datatype":"FP32","shape":[1,2],"data":[1.5,2.5]}]})");

  const std::string header =
      R"({"inputs":[{"name":"x","shape":[2],"datatype":"INT32","parameters":{"binary_data_size":8}}],)"
      R"("outputs":[{"name":"x","parameters":{"binary_data":true}}]})";
  const std::string data("\x01\0\0\0\x02\0\0\0", 8);
  auto binary =
      client.Call(bhttp::verb::post, "/v2/models/echo/infer", header + data, header.size());
  ASSERT_TRUE(binary.has_value());
  ASSERT_EQ(binary->result(), bhttp::status::ok) << binary->body();
  EXPECT_EQ((*binary)[bhttp::field::content_type], "application/octet-stream");
  const size_t length = std::stoul(std::string((*binary)["Inference-Header-Content-Length"]));
  EXPECT_NE(binary->body().substr(0, length).find(R"("binary_data_size":8)"), std::string::npos);
  EXPECT_EQ(binary->body().substr(length), data);

  auto bad = client.Call(bhttp::verb::post, "/v2/models/echo/infer", "{\"inputs\":");
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->result(), bhttp::status::bad_request);
  EXPECT_NE(bad->body().find("\"error\""), std::string::npos);
}

TEST_F(HttpServerTest, OversizeBodyGets413AndServerKeepsServing) {
  {
    Client client(port_);
    client.SendRaw(
        "POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{");
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result(), bhttp::status::payload_too_large);
    EXPECT_NE(response->body().find("\"error\""), std::string::npos);
  }
  Client again(port_);
  auto live = again.Call(bhttp::verb::get, "/v2/health/live");
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->result(), bhttp::status::ok);
}

std::string InferHead(std::string_view target, size_t length, std::string_view extra = "") {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + std::string(extra) +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

// Overload: a model that would refuse the request gets 503 + Retry-After as soon as the head is
// parsed. The answer arrives before a byte of the body is sent (a server that waited for the body
// would leave Read() to its 10 s deadline), and the body sent afterwards is dropped without
// being taken for the next request: the connection serves the next request normally.
TEST_F(HttpServerTest, FullModelIsRefusedOnItsHeadAndTheConnectionStaysUsable) {
  service_.full = true;
  Client client(port_);
  client.SendRaw(InferHead("/v2/models/echo/infer", sizeof(kInferJson) - 1));
  auto refused = client.Read();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result(), bhttp::status::service_unavailable);
  EXPECT_EQ((*refused)[bhttp::field::retry_after], "1");
  EXPECT_TRUE(refused->keep_alive());
  EXPECT_NE(refused->body().find("cannot take more requests now"), std::string::npos);
  client.SendRaw(kInferJson);  // read as a request head, it would be a 400 and a close
  EXPECT_EQ(service_.infer_calls.load(), 0);

  service_.full = false;
  auto served = client.Call(bhttp::verb::post, "/v2/models/echo/infer", kInferJson);
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->result(), bhttp::status::ok) << served->body();
  EXPECT_EQ(service_.infer_calls.load(), 1);
}

// A large refused body (read and dropped over many reads) followed by a pipelined request: the
// drop stops exactly at the body's end.
TEST_F(HttpServerTest, RefusedLargeBodyIsDroppedUpToItsEnd) {
  service_.full = true;
  Client client(port_);
  const std::string body(600 << 10, 'x');
  client.SendRaw(InferHead("/v2/models/echo/versions/1/infer", body.size()) + body +
                 "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
  auto refused = client.Read();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result(), bhttp::status::service_unavailable);
  auto live = client.Read();
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->result(), bhttp::status::ok);
  EXPECT_EQ(service_.infer_calls.load(), 0);
}

// Where the client's next request starts is unknown after a refusal to a client awaiting
// "100 Continue" (it may hold its body back or send it anyway) or to a chunked body: the refusal
// says "close", comes without a "100 Continue" first, and the connection is closed.
TEST_F(HttpServerTest, RefusalThatCannotFindTheBodysEndClosesTheConnection) {
  service_.full = true;
  for (const std::string& head :
       {InferHead("/v2/models/echo/infer", 100000, "Expect: 100-continue\r\n"),
        std::string("POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n")}) {
    Client client(port_);
    client.SendRaw(head);
    auto refused = client.Read();
    ASSERT_TRUE(refused.has_value()) << head;
    EXPECT_EQ(refused->result(), bhttp::status::service_unavailable) << head;
    EXPECT_EQ((*refused)[bhttp::field::retry_after], "1");
    EXPECT_FALSE(refused->keep_alive()) << head;
    EXPECT_FALSE(client.Read().has_value()) << head;  // closed
  }
  EXPECT_EQ(service_.infer_calls.load(), 0);
}

TEST_F(HttpServerTest, RefuseOnHeadCanBeTurnedOff) {
  HttpOptions options;
  options.refuse_on_head = false;
  Serve(options);
  service_.full = true;
  Client client(port_);
  auto served = client.Call(bhttp::verb::post, "/v2/models/echo/infer", kInferJson);
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->result(), bhttp::status::ok);  // the body was read and Infer called
  EXPECT_EQ(service_.infer_calls.load(), 1);
}

// Every dialect's inference route with the model in its path is refused on its head, in the
// dialect's own error shape with Retry-After; other routes on the same model are served.
TEST_F(HttpServerTest, EveryDialectsInferRouteIsRefusedOnItsHead) {
  service_.full = true;
  for (const char* target :
       {"/v2/models/echo/infer", "/v1/models/echo:predict", "/v1/models/echo/versions/1:predict",
        "/predictions/echo", "/predictions/echo/1.0", "/predict/echo"}) {
    Client client(port_);
    client.SendRaw(InferHead(target, 10));
    auto refused = client.Read();
    ASSERT_TRUE(refused.has_value()) << target;
    EXPECT_EQ(refused->result(), bhttp::status::service_unavailable) << target;
    EXPECT_EQ((*refused)[bhttp::field::retry_after], "1") << target;
  }
  Client client(port_);
  auto metadata = client.Call(bhttp::verb::get, "/v2/models/echo");
  ASSERT_TRUE(metadata.has_value());
  EXPECT_EQ(metadata->result(), bhttp::status::ok);
  // Malformed parameters are the handler's to answer (400/404), not a 503.
  auto bad_version = client.Call(bhttp::verb::post, "/v2/models/echo/versions/x/infer", "{}");
  ASSERT_TRUE(bad_version.has_value());
  EXPECT_EQ(bad_version->result(), bhttp::status::bad_request);
  EXPECT_EQ(service_.infer_calls.load(), 0);
}

// A request head over the limit (here a 20 KB query string) is answered, not dropped.
TEST_F(HttpServerTest, OverlongRequestHeadGets431AndServerKeepsServing) {
  {
    Client client(port_);
    client.SendRaw("GET /v2/health/live?q=" + std::string(20 << 10, 'a') +
                   " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result(), bhttp::status::request_header_fields_too_large);
    EXPECT_NE(response->body().find("\"error\""), std::string::npos);
  }
  Client again(port_);
  auto live = again.Call(bhttp::verb::get, "/v2/health/live");
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->result(), bhttp::status::ok);
}

TEST_F(HttpServerTest, GarbageGets400) {
  Client client(port_);
  client.SendRaw("NOT HTTP AT ALL\r\n\r\n");
  auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), bhttp::status::bad_request);
}

TEST_F(HttpServerTest, ClientDisconnectingMidRequestIsHarmless) {
  service_.defer = true;
  {
    Client client(port_);
    client.SendRaw(
        std::string("POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\nContent-Length: ") +
        std::to_string(sizeof(kInferJson) - 1) + "\r\n\r\n" + kInferJson);
    for (int i = 0; i < 1000 && service_.DeferredCount() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling, not synchronisation
    }
    ASSERT_EQ(service_.DeferredCount(), 1u);
    client.Close();
  }
  EXPECT_EQ(service_.CompleteDeferred(), 1u);  // the write to the closed socket fails quietly
  // Half a request then a close: the server just drops the connection.
  {
    Client client(port_);
    client.SendRaw(
        "POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
    client.Close();
  }
  service_.defer = false;
  Client again(port_);
  auto response = again.Call(bhttp::verb::post, "/v2/models/echo/infer", kInferJson);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), bhttp::status::ok);
}

// A JSON infer body of `floats` values (well over the offload threshold below).
std::string LargeInferJson(int floats) {
  std::string data;
  for (int i = 0; i < floats; ++i) data += (i ? ",1.25" : "1.25");
  return R"({"inputs":[{"name":"x","shape":[1,)" + std::to_string(floats) +
         R"(],"datatype":"FP32","data":[)" + data + "]}]}";
}

// Two large requests on one IO thread: each is held in the service until both have arrived.
// Decoded on the IO thread, the first would hold it and the second could never be read.
TEST_F(HttpServerTest, LargeRequestsAreRoutedOffTheIoThreadInParallel) {
  absl::Mutex mu;
  int arrived = 0;
  std::atomic<int> met{0};
  service_.on_infer = [&] {
    absl::MutexLock lock(&mu);
    ++arrived;
    if (mu.AwaitWithTimeout(absl::Condition(
                                +[](int* n) { return *n >= 2; }, &arrived),
                            absl::Seconds(10))) {
      ++met;
    }
  };
  HttpOptions options;
  options.threads = 1;
  options.offload_threads = 2;
  options.offload_min_bytes = 1024;
  Serve(options);
  const std::string body = LargeInferJson(2000);
  auto call = [&] {
    Client client(port_);
    auto response = client.Call(bhttp::verb::post, "/v2/models/echo/infer", body);
    return response.has_value() ? static_cast<int>(response->result_int()) : 0;
  };
  auto first = std::async(std::launch::async, call);
  auto second = std::async(std::launch::async, call);
  EXPECT_EQ(first.get(), 200);
  EXPECT_EQ(second.get(), 200);
  EXPECT_EQ(met.load(), 2) << "the two large requests were not routed at the same time";
  // A small request is still answered while none is offloaded.
  service_.on_infer = nullptr;
  Client small(port_);
  auto response = small.Call(bhttp::verb::post, "/v2/models/echo/infer", kInferJson);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result(), bhttp::status::ok);
}

// Only what must be parsed counts: a binary-tensor request's large tensor bytes do not send it
// to the pool (no thread hop for a body viewed in place); its large JSON twin goes there.
TEST_F(HttpServerTest, OnlyLargeDecodesLeaveTheIoThread) {
  absl::Mutex mu;
  std::thread::id routed_on;
  service_.on_infer = [&] {
    absl::MutexLock lock(&mu);
    routed_on = std::this_thread::get_id();
  };
  HttpOptions options;
  options.threads = 1;
  options.offload_threads = 1;
  options.offload_min_bytes = 1024;
  Serve(options);
  auto thread_of = [&](const std::string& body, std::optional<size_t> header_length) {
    Client client(port_);
    auto response = client.Call(bhttp::verb::post, "/v2/models/echo/infer", body, header_length);
    EXPECT_TRUE(response.has_value() && response->result() == bhttp::status::ok);
    absl::MutexLock lock(&mu);
    return routed_on;
  };
  const std::thread::id io_thread = thread_of(kInferJson, std::nullopt);
  const std::string header =
      R"({"inputs":[{"name":"x","shape":[1,1000],"datatype":"FP32","parameters":{"binary_data_size":4000}}]})";
  EXPECT_EQ(thread_of(header + std::string(4000, '\0'), header.size()), io_thread);
  EXPECT_NE(thread_of(LargeInferJson(1000), std::nullopt), io_thread);
  service_.on_infer = nullptr;
}

// Each IO thread runs its own io_context and takes new connections in turn: two connections are
// served by two threads, and each keeps its thread for all its requests.
TEST_F(HttpServerTest, ConnectionsAreSpreadOverIoThreadsAndKeepTheirs) {
  absl::Mutex mu;
  std::thread::id routed_on;
  service_.on_infer = [&] {
    absl::MutexLock lock(&mu);
    routed_on = std::this_thread::get_id();
  };
  HttpOptions options;
  options.threads = 2;
  options.offload_threads = 0;
  Serve(options);
  auto thread_of = [&](Client& client) {
    auto response = client.Call(bhttp::verb::post, "/v2/models/echo/infer", kInferJson);
    EXPECT_TRUE(response.has_value() && response->result() == bhttp::status::ok);
    absl::MutexLock lock(&mu);
    return routed_on;
  };
  Client first(port_);
  Client second(port_);
  const std::thread::id first_thread = thread_of(first);
  const std::thread::id second_thread = thread_of(second);
  EXPECT_NE(first_thread, second_thread);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(thread_of(second), second_thread);
    EXPECT_EQ(thread_of(first), first_thread);
  }
  service_.on_infer = nullptr;
}

// An answer that comes after the router returned (from another thread) is posted to the
// connection's own IO thread and written there, on every IO thread.
TEST_F(HttpServerTest, LateAnswersReachTheirConnectionsOnEveryIoThread) {
  HttpOptions options;
  options.threads = 2;
  Serve(options);
  service_.defer = true;
  std::vector<std::unique_ptr<Client>> clients;
  const std::string request =
      std::string("POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\nContent-Length: ") +
      std::to_string(sizeof(kInferJson) - 1) + "\r\n\r\n" + kInferJson;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<Client>(port_));
    clients.back()->SendRaw(request);
  }
  ASSERT_TRUE(service_.AwaitDeferred(4, absl::Seconds(10)));
  EXPECT_EQ(service_.CompleteDeferred(), 4u);
  for (auto& client : clients) {
    auto response = client->Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result(), bhttp::status::ok);
  }
}

TEST_F(HttpServerTest, CompletionAfterStopIsDropped) {
  service_.defer = true;
  Client client(port_);
  client.SendRaw(std::string("POST /v2/models/echo/infer HTTP/1.1\r\nHost: x\r\nContent-Length: ") +
                 std::to_string(sizeof(kInferJson) - 1) + "\r\n\r\n" + kInferJson);
  for (int i = 0; i < 1000 && service_.DeferredCount() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(service_.DeferredCount(), 1u);
  server_->Stop();
  server_->Stop();  // idempotent
  server_.reset();
  EXPECT_EQ(service_.CompleteDeferred(), 1u);
  server_ = std::make_unique<HttpServer>(service_, HttpOptions{});  // for TearDown
}

}  // namespace
}  // namespace inferd::frontend::http
