// Compression against the real binary (docs/protocols.md, "Compression"): gzip and deflate
// request bodies served exactly as plain ones on every HTTP dialect, responses compressed on
// Accept-Encoding, decompression bombs refused with 413 in bounded time and memory, the client
// library's compression options over HTTP and gRPC, and gRPC response compression honouring the
// encodings the client accepts.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/grpc_client.h"
#include "client/http_client.h"
#include "common/content_coding.h"
#include "grpc_service.grpc.pb.h"
#include "http_test_util.h"
#include "socket_util.h"
#include "testing/proc_stats.h"

namespace inferd::testing {
namespace {

constexpr size_t kMaxInput = size_t{1} << 20;        // --http-max-input-size of the HTTP suite
constexpr size_t kMaxGrpcMessage = size_t{4} << 20;  // --grpc-max-message-size of the gRPC suite

std::string ReadSource(const std::string& relative) {
  std::ifstream file(SourcePath(relative), std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The body without its "id" member: the server numbers requests that carry no id.
std::string WithoutId(std::string body) {
  const size_t id = body.find("\"id\":\"");
  if (id == std::string::npos) return body;
  const size_t end = body.find("\",", id + 6);
  if (end != std::string::npos) body.erase(id, end + 2 - id);
  return body;
}

std::string Header(const client::HttpResponse& response, const std::string& name) {
  const auto it = response.headers.find(name);
  return it == response.headers.end() ? "" : it->second;
}

struct Request {
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
};

class HttpCompressionTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository"),
                 "--model-repository", SourcePath("tests/testdata/model_repository"),
                 "--http-max-input-size", std::to_string(kMaxInput),
                 "--grpc-infer-response-compression-level", "medium"});
  }

  static client::HttpResponse Post(const Request& request, const std::string& coding = "") {
    Request sent = request;
    if (!coding.empty()) {
      const auto parsed = ParseContentEncoding(coding);
      sent.body = *EncodeContent(*parsed, request.body, 6);
      sent.headers["Content-Encoding"] = coding;
    }
    auto connection = Connect();
    auto response = connection.Post(sent.target, sent.body, sent.headers);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : client::HttpResponse{};
  }
};

std::string Floats(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += (i ? "," : "") + std::to_string(i % 10) + ".5";
  return text;
}

// Values whose sums print with many digits (a JSON response over 1 KiB).
std::string LongFloats(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += (i ? "," : "") + std::to_string(i * 0.0123457);
  return text;
}

TEST_F(HttpCompressionTest, CompressedRequestsAreServedExactlyAsPlainOnesOnEveryDialect) {
  const std::string simple_inputs =
      R"({"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[)" +
      std::string("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15") +
      R"(]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[)" +
      std::string("1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1") + "]}";
  const std::string binary_header =
      R"({"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}},)"
      R"({"name":"INPUT1","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":64}}],)"
      R"("outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true}}]})";
  std::vector<float> values(16);
  for (int i = 0; i < 16; ++i) values[i] = 0.25f * static_cast<float>(i);
  const BinaryBody binary = MakeBinaryBody(binary_header, {RawBytes(values), RawBytes(values)});
  const std::string image = ReadSource("examples/images/shapes.jpg");
  ASSERT_FALSE(image.empty());
  const std::vector<Request> requests = {
      {"/v2/models/simple/infer", R"({"inputs":[)" + simple_inputs + "]}", {}},
      {"/v2/models/add_sub_fp32/infer", binary.body, binary.headers},
      {"/v2/models/add_sub_fp32/infer",
       R"({"inputs":[{"name":"INPUT0","shape":[8,16],"datatype":"FP32","data":[)" + Floats(128) +
           R"(]},{"name":"INPUT1","shape":[8,16],"datatype":"FP32","data":[)" + Floats(128) +
           "]}]}",
       {}},
      {"/v1/models/simple:predict",
       R"({"instances":[{"INPUT0":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15],)"
       R"("INPUT1":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]})",
       {}},
      {"/predictions/simple",
       R"({"INPUT0":[[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]],)"
       R"("INPUT1":[[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]]})",
       {{"Content-Type", "application/json"}}},
      {"/predict/convnet", image, {{"Content-Type", "image/jpeg"}}},
      {"/v2/models/simple/infer", R"({"inputs":[{"name":"INPUT0"}]})", {}},  // a 400, as plain
  };
  for (const Request& request : requests) {
    const client::HttpResponse plain = Post(request);
    for (const std::string coding : {"gzip", "deflate"}) {
      const client::HttpResponse decoded = Post(request, coding);
      EXPECT_EQ(decoded.status, plain.status) << request.target << " " << coding;
      EXPECT_EQ(WithoutId(decoded.body), WithoutId(plain.body)) << request.target << " " << coding;
      EXPECT_EQ(Header(decoded, "inference-header-content-length"),
                Header(plain, "inference-header-content-length"));
    }
  }
  for (size_t i = 0; i + 1 < requests.size(); ++i) {  // every valid request really ran
    EXPECT_EQ(Post(requests[i]).status, 200) << requests[i].target;
  }
}

TEST_F(HttpCompressionTest, ResponsesFollowAcceptEncoding) {
  auto connection = Connect();
  const std::string infer =
      R"({"id":"x","inputs":[{"name":"INPUT0","shape":[8,16],"datatype":"FP32","data":[)" +
      LongFloats(128) + R"(]},{"name":"INPUT1","shape":[8,16],"datatype":"FP32","data":[)" +
      LongFloats(128) + "]}]}";
  const std::string target = "/v2/models/add_sub_fp32/infer";
  const auto plain = connection.Post(target, infer);
  ASSERT_EQ(plain->status, 200);
  ASSERT_GT(plain->body.size(), 1024u);
  EXPECT_EQ(plain->headers.count("content-encoding"), 0u);
  for (const auto& [accept, coding] : std::vector<std::pair<std::string, std::string>>{
           {"gzip", "gzip"}, {"gzip;q=0.4, deflate", "deflate"}, {"*", "gzip"}}) {
    const auto compressed = connection.Post(target, infer, {{"Accept-Encoding", accept}});
    ASSERT_TRUE(compressed.ok());
    EXPECT_EQ(Header(*compressed, "content-encoding"), coding) << accept;
    EXPECT_EQ(Header(*compressed, "vary"), "Accept-Encoding");
    EXPECT_LT(compressed->body.size(), plain->body.size() / 2);
    EXPECT_EQ(*DecodeContent(*ParseContentEncoding(coding), compressed->body, 1 << 24),
              plain->body);
  }
  const auto identity = connection.Post(target, infer, {{"Accept-Encoding", "br, gzip;q=0"}});
  EXPECT_EQ(identity->headers.count("content-encoding"), 0u);
  EXPECT_EQ(identity->body, plain->body);
  const auto tiny =
      connection.Request("GET", "/v2/health/ready", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(tiny->headers.count("content-encoding"), 0u);
}

TEST_F(HttpCompressionTest, UnsupportedCodingIs415) {
  const auto response = Post({"/v2/models/simple/infer", "{}", {{"Content-Encoding", "br"}}});
  EXPECT_EQ(response.status, 415);
  EXPECT_EQ(response.headers.at("accept-encoding"), "gzip, deflate");
}

// A 1 KB gzip body that inflates past --http-max-input-size: 413, in well under a millisecond of
// server work, and the server's memory does not move.
TEST_F(HttpCompressionTest, GzipBombIs413InBoundedTimeAndMemory) {
  const std::string bomb =
      *EncodeContent(ContentCoding::kGzip, std::string(kMaxInput * 4, '\0'), 9);
  ASSERT_LT(bomb.size(), 5000u);
  std::string lying = bomb;  // its trailer understates the size: inflation must stop by itself
  lying.replace(lying.size() - 4, 4, std::string("\x10\0\0\0", 4));
  // ~1 GB from a ~1 MB body (a thousand members of 1 MB each), within the body limit.
  std::string huge_member =
      *EncodeContent(ContentCoding::kGzip, std::string(size_t{1} << 20, '\0'), 9);
  std::string huge;
  while (huge.size() + huge_member.size() < kMaxInput) huge += huge_member;
  huge.replace(huge.size() - 4, 4, std::string("\x10\0\0\0", 4));

  const int64_t rss_before = ResidentKib(server_->pid());
  auto connection = Connect();
  for (const std::string* body : std::vector<const std::string*>{&bomb, &lying, &huge}) {
    // The best of a few tries: the machine is shared, the server work is what is measured.
    auto best = std::chrono::steady_clock::duration::max();
    for (int attempt = 0; attempt < 5; ++attempt) {
      const auto start = std::chrono::steady_clock::now();
      const auto response =
          connection.Post("/v2/models/simple/infer", *body, {{"Content-Encoding", "gzip"}});
      best = std::min(best, std::chrono::steady_clock::now() - start);
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_EQ(response->status, 413) << response->body;
      EXPECT_NE(response->body.find("exceeds the maximum input size"), std::string::npos);
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(best).count();
    std::printf("gzip bomb of %zu bytes: 413 in %lld us (round trip)\n", body->size(),
                static_cast<long long>(micros));
    EXPECT_LT(micros, 50000) << "a bomb must be cut off at the limit, not inflated";
  }
  const int64_t rss_after = ResidentKib(server_->pid());
  std::printf("server RSS %lld KiB before the bombs, %lld KiB after\n",
              static_cast<long long>(rss_before), static_cast<long long>(rss_after));
  // 128 MiB: sanitizer builds keep freed buffers in quarantine; unbounded inflation is 1 GiB.
  EXPECT_LT(rss_after - rss_before, 128 * 1024) << "inflation is bounded by the 1 MiB limit";
  EXPECT_EQ(connection.Get("/v2/health/ready")->status, 200);  // the connection is still usable
}

TEST_F(HttpCompressionTest, ClientLibraryCompressionOptions) {
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string(server_->http_port());
  for (const bool binary : {true, false}) {
    options.binary_data = binary;
    client::HttpClient http(options);
    std::vector<client::InferInput> inputs{client::InferInput("INPUT0", {8, 16}, "FP32"),
                                           client::InferInput("INPUT1", {8, 16}, "FP32")};
    std::vector<float> a(128), b(128, 0.5f);
    for (int i = 0; i < 128; ++i) a[i] = static_cast<float>(i % 7);
    ASSERT_TRUE(inputs[0].SetData(a).ok());
    ASSERT_TRUE(inputs[1].SetData(b).ok());
    client::InferOptions plain("add_sub_fp32");
    const auto expected = http.Infer(plain, inputs, {});
    ASSERT_TRUE(expected.ok()) << expected.status();
    for (const std::string request : {"", "gzip", "deflate"}) {
      for (const std::string response : {"", "gzip", "deflate"}) {
        client::InferOptions infer("add_sub_fp32");
        infer.request_compression_algorithm = request;
        infer.response_compression_algorithm = response;
        const auto result = http.Infer(infer, inputs, {});
        ASSERT_TRUE(result.ok()) << request << "/" << response << ": " << result.status();
        EXPECT_EQ(*result->As<float>("OUTPUT0"), *expected->As<float>("OUTPUT0"));
        EXPECT_EQ(*result->As<float>("OUTPUT1"), *expected->As<float>("OUTPUT1"));
      }
    }
    client::InferOptions bad("add_sub_fp32");
    bad.request_compression_algorithm = "br";
    EXPECT_TRUE(absl::IsInvalidArgument(http.Infer(bad, inputs, {}).status()));
  }
}

// gRPC: compressed requests are accepted; inference responses are compressed at the configured
// level, with an algorithm the client announced it accepts.
class GrpcCompressionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = ServerProcess::Start(
        {"--model-repository", SourcePath("tests/testdata/model_repository"),
         "--grpc-infer-response-compression-level", "high", "--grpc-max-message-size",
         std::to_string(kMaxGrpcMessage), "--grpc-accept-compressed-requests", "true"});
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  static void TearDownTestSuite() { server_.reset(); }
  static std::string Url() { return "127.0.0.1:" + std::to_string(server_->grpc_port()); }
  static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(GrpcCompressionTest, ClientRequestCompression) {
  client::ClientOptions options;
  options.url = Url();
  client::GrpcClient grpc(options);
  std::vector<client::InferInput> inputs{client::InferInput("INPUT0", {1, 16}, "INT32"),
                                         client::InferInput("INPUT1", {1, 16}, "INT32")};
  std::vector<int32_t> a(16), b(16, 3);
  for (int i = 0; i < 16; ++i) a[i] = i;
  ASSERT_TRUE(inputs[0].SetData(a).ok());
  ASSERT_TRUE(inputs[1].SetData(b).ok());
  for (const std::string algorithm : {"", "gzip", "deflate"}) {
    client::InferOptions infer("simple_copy");
    infer.request_compression_algorithm = algorithm;
    const auto result = grpc.Infer(infer, inputs, {});
    ASSERT_TRUE(result.ok()) << algorithm << ": " << result.status();
    const auto sum = *result->As<int32_t>("OUTPUT0");
    for (int i = 0; i < 16; ++i) EXPECT_EQ(sum[i], i + 3);
  }
  client::InferOptions bad("simple_copy");
  bad.request_compression_algorithm = "zstd";
  EXPECT_TRUE(absl::IsInvalidArgument(grpc.Infer(bad, inputs, {}).status()));
}

// A one-connection TCP relay on 127.0.0.1 counting the bytes the server sends back: what a client
// really receives on the wire. Sockets time out after 10 s, and the destructor shuts them down.
class CountingProxy {
 public:
  explicit CountingProxy(int server_port) : server_port_(server_port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener_, 4) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen for the proxy";
    }
    port_ = ntohs(address.sin_port);
    relay_ = std::thread([this] { Run(); });
  }
  ~CountingProxy() {
    shutdown(listener_, SHUT_RDWR);
    for (const int fd : {client_.load(), server_.load()}) {
      if (fd >= 0) shutdown(fd, SHUT_RDWR);
    }
    relay_.join();
    close(listener_);
  }
  int port() const { return port_; }
  int64_t from_server() const { return from_server_.load(); }

 private:
  void Run() {
    const int client = accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    timeval timeout{10, 0};
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    const int server = ConnectLoopback(server_port_, 10);
    client_ = client;
    server_ = server;
    std::thread up([&] { Pump(client, server, nullptr); });
    Pump(server, client, &from_server_);
    up.join();
    close(client);
    close(server);
  }
  static void Pump(int from, int to, std::atomic<int64_t>* count) {
    std::vector<char> buffer(1 << 16);
    ssize_t n;
    while ((n = recv(from, buffer.data(), buffer.size(), 0)) > 0) {
      if (count != nullptr) *count += n;
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t w =
            send(to, buffer.data() + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
        if (w <= 0) return;
        sent += w;
      }
    }
    shutdown(to, SHUT_WR);
  }

  int server_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> client_{-1}, server_{-1};
  std::atomic<int64_t> from_server_{0};
  std::thread relay_;
};

// A compressible request for identity_all_types: every input [1, n] of zeros.
::inference::ModelInferRequest ZerosForAllTypes(int64_t n) {
  const std::vector<std::pair<std::string, int>> types = {
      {"UINT8", 1}, {"INT8", 1},   {"UINT16", 2}, {"INT16", 2}, {"UINT32", 4},
      {"INT32", 4}, {"UINT64", 8}, {"INT64", 8},  {"FP16", 2},  {"BF16", 2},
      {"FP32", 4},  {"FP64", 8},   {"BOOL", 1},   {"BYTES", 4}};
  ::inference::ModelInferRequest request;
  request.set_model_name("identity_all_types");
  for (const auto& [type, size] : types) {
    auto* input = request.add_inputs();
    input->set_name(type == "BYTES" ? "IN_STRING" : "IN_" + type);
    input->set_datatype(type);
    input->add_shape(1);
    input->add_shape(n);
    request.add_raw_input_contents(std::string(static_cast<size_t>(n) * size, '\0'));
  }
  return request;
}

// Bytes of a ModelInfer response on the wire (~340 KB of zeros), for a client that accepts only
// identity or every algorithm.
int64_t ResponseBytesOnTheWire(int grpc_port, bool identity_only) {
  const auto request = ZerosForAllTypes(8192);
  CountingProxy proxy(grpc_port);
  ::grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // A client that accepts only identity cannot be sent compressed data.
  if (identity_only) args.SetInt(GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET, 1);
  auto stub = ::inference::GRPCInferenceService::NewStub(::grpc::CreateCustomChannel(
      "127.0.0.1:" + std::to_string(proxy.port()), ::grpc::InsecureChannelCredentials(), args));
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  ::inference::ModelInferResponse response;
  const ::grpc::Status status = stub->ModelInfer(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.raw_output_contents_size(), 14);
  size_t bytes = 0;
  for (const std::string& output : response.raw_output_contents()) {
    EXPECT_EQ(output.find_first_not_of('\0'), std::string::npos);  // the zeros came back
    bytes += output.size();
  }
  EXPECT_EQ(bytes, 8192u * (1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 2 + 2 + 4 + 8 + 1 + 4));
  return proxy.from_server();
}

TEST_F(GrpcCompressionTest, ResponsesAreCompressedWithAnAlgorithmTheClientAccepts) {
  const int64_t identity = ResponseBytesOnTheWire(server_->grpc_port(), true);
  const int64_t compressed = ResponseBytesOnTheWire(server_->grpc_port(), false);
  std::printf("gRPC response bytes on the wire: %lld for an identity-only client, %lld otherwise\n",
              static_cast<long long>(identity), static_cast<long long>(compressed));
  EXPECT_GT(identity, 300000);
  EXPECT_LT(compressed, identity / 10);
}

// By default (no --grpc-accept-compressed-requests) a compressed gRPC request is refused before
// anything is inflated; responses are still compressed for clients that accept it.
TEST_F(HttpCompressionTest, GrpcCompressedRequestsAreRefusedByDefault) {
  client::ClientOptions options;
  options.url = "127.0.0.1:" + std::to_string(server_->grpc_port());
  client::GrpcClient grpc(options);
  std::vector<client::InferInput> inputs{client::InferInput("INPUT0", {1, 16}, "INT32"),
                                         client::InferInput("INPUT1", {1, 16}, "INT32")};
  ASSERT_TRUE(inputs[0].SetData(std::vector<int32_t>(16, 1)).ok());
  ASSERT_TRUE(inputs[1].SetData(std::vector<int32_t>(16, 2)).ok());
  client::InferOptions infer("simple");
  EXPECT_TRUE(grpc.Infer(infer, inputs, {}).ok());
  infer.request_compression_algorithm = "gzip";
  const auto refused = grpc.Infer(infer, inputs, {});
  EXPECT_TRUE(absl::IsUnimplemented(refused.status())) << refused.status();
  EXPECT_LT(ResponseBytesOnTheWire(server_->grpc_port(), false), 10000);

  // A message of 64 MiB of zeros in ~64 KB of gzip: refused from its header, nothing inflated
  // (gRPC itself would inflate it whole before checking its size).
  ::inference::ModelInferRequest bomb;
  bomb.set_model_name("identity_all_types");
  auto* input = bomb.add_inputs();
  input->set_name("IN_UINT8");
  input->set_datatype("UINT8");
  input->add_shape(1);
  input->add_shape(int64_t{64} << 20);
  bomb.add_raw_input_contents(std::string(size_t{64} << 20, '\0'));
  ::grpc::ChannelArguments args;
  args.SetMaxSendMessageSize(-1);
  auto stub = ::inference::GRPCInferenceService::NewStub(
      ::grpc::CreateCustomChannel(options.url, ::grpc::InsecureChannelCredentials(), args));
  const int64_t rss_before = ResidentKib(server_->pid());
  ::grpc::ClientContext context;
  context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  ::inference::ModelInferResponse response;
  const ::grpc::Status status = stub->ModelInfer(&context, bomb, &response);
  EXPECT_EQ(status.error_code(), ::grpc::StatusCode::UNIMPLEMENTED) << status.error_message();
  EXPECT_LT(ResidentKib(server_->pid()) - rss_before, 16 * 1024);
}

}  // namespace
}  // namespace inferd::testing
