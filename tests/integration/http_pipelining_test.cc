// HTTP's own back-pressure, kept as gRPC streams gained theirs: a connection reads its next
// request only once the previous response is written, so a client that pipelines requests and
// never reads stalls itself (TCP buffers fill), while the server's RSS stays bounded and other
// clients are served. Once the client reads, every complete request is answered.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "server_process.h"
#include "testing/proc_stats.h"

namespace inferd::testing {
namespace {

constexpr size_t kTensorBytes = 256 << 10;  // FP32 elements in, the same out

// identity_all_types over the binary extension: IN_FP32 [1, 65536] echoed as OUT_FP32 (binary),
// every other input empty.
std::string PipelinedRequest() {
  std::string header = R"({"inputs":[)";
  const std::pair<const char*, const char*> inputs[] = {
      {"BOOL", "BOOL"},     {"UINT8", "UINT8"}, {"UINT16", "UINT16"}, {"UINT32", "UINT32"},
      {"UINT64", "UINT64"}, {"INT8", "INT8"},   {"INT16", "INT16"},   {"INT32", "INT32"},
      {"INT64", "INT64"},   {"FP16", "FP16"},   {"BF16", "BF16"},     {"FP64", "FP64"},
      {"STRING", "BYTES"}};
  for (const auto& [suffix, datatype] : inputs) {
    header += std::string(R"({"name":"IN_)") + suffix + R"(","shape":[1,0],"datatype":")" +
              datatype + R"(","data":[]},)";
  }
  header += R"({"name":"IN_FP32","shape":[1,65536],"datatype":"FP32","parameters":)" +
            std::string(R"({"binary_data_size":)") + std::to_string(kTensorBytes) + "}}]," +
            R"("outputs":[{"name":"OUT_FP32","parameters":{"binary_data":true}}]})";
  return "POST /v2/models/identity_all_types/infer HTTP/1.1\r\nHost: x\r\n"
         "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " +
         std::to_string(header.size()) +
         "\r\nContent-Length: " + std::to_string(header.size() + kTensorBytes) + "\r\n\r\n" +
         header + std::string(kTensorBytes, '\0');
}

int ConnectTo(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

// Reads one HTTP response (Content-Length framed) from `fd`, keeping leftovers in `buffer`;
// returns its status code (`body` set when given), or 0 when the connection ended or stayed silent
// for 10 s.
int ReadResponse(int fd, std::string& buffer, std::string* body = nullptr) {
  auto fill = [&]() {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return false;
    char chunk[65536];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t head_end;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return 0;
  }
  const std::string head = buffer.substr(0, head_end);
  const size_t length_at = head.find("\r\nContent-Length: ");  // not Inference-Header-...
  const size_t length =
      length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 18));
  while (buffer.size() < head_end + 4 + length) {
    if (!fill()) return 0;
  }
  if (body != nullptr) *body = buffer.substr(head_end + 4, length);
  buffer.erase(0, head_end + 4 + length);
  return std::stoi(head.substr(9, 3));
}

TEST(HttpPipeliningTest, ClientThatNeverReadsStallsItselfNotTheServer) {
  auto started =
      ServerProcess::Start({"--model-repository", SourcePath("tests/testdata/model_repository"),
                            "--allow-grpc", "false"});
  ASSERT_TRUE(started.ok()) << started.status();
  auto server = std::move(started).value();
  const std::string request = PipelinedRequest();
  std::string leftover;
  {  // Warm up (the model's first run allocates), then take the baseline.
    const int fd = ConnectTo(server->http_port());
    ASSERT_GE(fd, 0);
    ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    std::string body;
    ASSERT_EQ(ReadResponse(fd, leftover, &body), 200) << body.substr(0, 300);
    EXPECT_GT(body.size(), kTensorBytes);
    close(fd);
  }
  const int64_t baseline_kib = ResidentKib(server->pid());

  // Pipeline up to 800 requests (200 MiB of responses) without reading, until sending stalls.
  constexpr int kRequests = 800;
  const int fd = ConnectTo(server->http_port());
  ASSERT_GE(fd, 0);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  size_t sent = 0;
  const size_t total = request.size() * kRequests;
  while (sent < total) {
    const size_t offset = sent % request.size();
    const ssize_t n = send(fd, request.data() + offset, request.size() - offset, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    ASSERT_TRUE(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) << errno;
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, 1000) == 0) break;  // not writable for 1 s: the server stopped reading
  }
  const int complete = static_cast<int>(sent / request.size());
  const int64_t stalled_kib = ResidentKib(server->pid());
  std::printf("HTTP pipelining, never read: %d of %d requests sent; RSS %lld -> %lld KiB\n",
              complete, kRequests, static_cast<long long>(baseline_kib),
              static_cast<long long>(stalled_kib));
  EXPECT_LT(complete, kRequests) << "the server kept reading a client that does not read";
  EXPECT_LT(stalled_kib - baseline_kib, 96 << 10);

  {  // Another client is served meanwhile.
    const int other = ConnectTo(server->http_port());
    ASSERT_GE(other, 0);
    const std::string live = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(send(other, live.data(), live.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(live.size()));
    std::string other_buffer;
    EXPECT_EQ(ReadResponse(other, other_buffer), 200);
    close(other);
  }

  // Reading now: every complete request is answered.
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string buffer;
  for (int i = 0; i < complete; ++i) ASSERT_EQ(ReadResponse(fd, buffer), 200) << i;
  close(fd);
  EXPECT_EQ(server->Stop(), 0);
}

}  // namespace
}  // namespace inferd::testing
