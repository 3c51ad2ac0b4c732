// Scheduling through the real server: dynamic batching forms batches (execution_count <
// inference_count) while every client gets exactly its own answer; a flood beyond max_queue_size
// gets 503 + Retry-After at once while admitted requests succeed; a request whose client went
// away is never executed.
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string SimpleConfig(const std::string& name, const std::string& scheduling) {
  return "name: \"" + name + R"(" backend: "onnxruntime" max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
        { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
         { name: "OUTPUT1" data_type: TYPE_INT32 dims: [ 16 ] } ]
instance_group [ { kind: KIND_CPU count: 1 } ]
)" + scheduling;
}

std::string Body(int base) {
  std::string a, b;
  for (int i = 0; i < 16; ++i) {
    a += (i ? "," : "") + std::to_string(base + i);
    b += (i ? "," : "") + std::to_string(i);
  }
  return R"({"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[)" + a +
         R"(]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[)" + b + "]}]}";
}

class HttpSchedulerTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    root_ =
        fs::temp_directory_path() / ("inferd_sched_test_" + std::to_string(std::random_device{}()));
    AddModel("batched", "dynamic_batching { max_queue_delay_microseconds: 20000 }\n");
    AddModel("tiny_queue",
             "dynamic_batching { max_queue_delay_microseconds: 200000 preferred_batch_size: [ 8 ] "
             "default_queue_policy { max_queue_size: 2 } }\n");
    AddModel("slow_batch", "dynamic_batching { max_queue_delay_microseconds: 400000 }\n");
    StartServer({"--model-repository", root_.string()});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static void AddModel(const std::string& name, const std::string& scheduling) {
    fs::create_directories(root_ / name / "1");
    fs::copy_file(SourcePath("examples/model_repository/simple/1/model.onnx"),
                  root_ / name / "1" / "model.onnx");
    std::ofstream(root_ / name / "config.pbtxt") << SimpleConfig(name, scheduling);
  }
  static rapidjson::Document Stats(const std::string& model) {
    auto c = Connect();
    auto r = c.Get("/v2/models/" + model + "/stats");
    EXPECT_EQ(r->status, 200) << r->body;
    return ParseJson(r->body);
  }
  static inline fs::path root_;
};

TEST_F(HttpSchedulerTest, DynamicBatchingGivesEveryClientItsOwnAnswer) {
  constexpr int kClients = 16, kRequests = 8;
  std::atomic<int> wrong{0}, failed{0};
  {
    std::vector<std::jthread> clients;
    for (int t = 0; t < kClients; ++t) {
      clients.emplace_back([&, t] {
        auto c = Connect();
        for (int i = 0; i < kRequests; ++i) {
          const int base = t * 1000 + i * 10;
          auto r = c.Post("/v2/models/batched/infer", Body(base));
          if (!r.ok() || r->status != 200) {
            ++failed;
            continue;
          }
          auto doc = ParseJson(r->body);
          for (int k = 0; k < 16; ++k) {
            if (doc["outputs"][0]["data"][k].GetInt() != base + 2 * k) ++wrong;
            if (doc["outputs"][1]["data"][k].GetInt() != base) ++wrong;
          }
        }
      });
    }
  }
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  auto stats = Stats("batched");
  const auto& m = stats["model_stats"][0];
  EXPECT_EQ(m["inference_count"].GetUint64(), uint64_t{kClients * kRequests});
  EXPECT_LT(m["execution_count"].GetUint64(), m["inference_count"].GetUint64());
  EXPECT_EQ(m["inference_stats"]["success"]["count"].GetUint64(), uint64_t{kClients * kRequests});
  EXPECT_GT(m["batch_stats"].Size(), 0u);
}

TEST_F(HttpSchedulerTest, FloodBeyondQueueGets503WhileAdmittedSucceed) {
  constexpr int kClients = 12;
  std::atomic<int> ok{0}, rejected{0}, other{0};
  std::atomic<bool> retry_after{true};
  {
    std::vector<std::jthread> clients;
    for (int t = 0; t < kClients; ++t) {
      clients.emplace_back([&, t] {
        auto c = Connect();
        auto r = c.Post("/v2/models/tiny_queue/infer", Body(t));
        if (!r.ok()) return void(++other);
        if (r->status == 200) return void(++ok);
        if (r->status == 503 && r->body.find("queue") != std::string::npos) {
          if (!r->headers.count("retry-after")) retry_after = false;
          return void(++rejected);
        }
        ++other;
      });
    }
  }
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(rejected.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_TRUE(retry_after.load());
  EXPECT_EQ(Connect().Get("/v2/health/live")->status, 200);
}

TEST_F(HttpSchedulerTest, RequestOfDisconnectedClientIsNeverExecuted) {
  // Send a request on a raw socket and close it while the request waits for its batch.
  const std::string body = Body(7);
  const std::string request =
      "POST /v2/models/slow_batch/infer HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->http_port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  close(fd);

  // Await the scheduler's verdict on that request (bounded).
  uint64_t failures = 0;
  for (int i = 0; i < 200 && failures == 0; ++i) {
    failures =
        Stats("slow_batch")["model_stats"][0]["inference_stats"]["fail"]["count"].GetUint64();
    if (failures == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto m = Stats("slow_batch");
  EXPECT_EQ(m["model_stats"][0]["inference_stats"]["fail"]["count"].GetUint64(), 1u);
  EXPECT_EQ(m["model_stats"][0]["execution_count"].GetUint64(), 0u);
  EXPECT_EQ(m["model_stats"][0]["inference_count"].GetUint64(), 0u);
}

TEST_F(HttpSchedulerTest, StatisticsEndpoints) {
  auto c = Connect();
  auto all = c.Get("/v2/models/stats");
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(ParseJson(all->body)["model_stats"].Size(), 3u);
  EXPECT_EQ(c.Get("/v2/models/batched/versions/1/stats")->status, 200);
  EXPECT_EQ(c.Get("/v2/models/nope/stats")->status, 400);  // unknown model, as Triton
}

}  // namespace
}  // namespace inferd::testing

namespace inferd::testing {
namespace {

TEST_F(HttpSchedulerTest, MaxInflightRejectsBeyondTheCapAtOnce) {
  auto started =
      ServerProcess::Start({"--model-repository", root_.string(), "--max-inflight", "1"});
  ASSERT_TRUE(started.ok()) << started.status();
  const int port = (*started)->http_port();
  // slow_batch holds a request ~400 ms waiting for its batch: of two sent together, the one
  // that arrives second must be rejected at once.
  std::atomic<int> ok{0}, rejected{0};
  std::atomic<bool> well_formed{true};
  {
    std::vector<std::jthread> clients;
    for (int i = 0; i < 2; ++i) {
      clients.emplace_back([&, i] {
        client::HttpConnection c("127.0.0.1", port);
        auto r = c.Post("/v2/models/slow_batch/infer", Body(i));
        if (r.ok() && r->status == 200) return void(++ok);
        if (r.ok() && r->status == 503) {
          ++rejected;
          if (r->body.find("in-flight") == std::string::npos || !r->headers.count("retry-after")) {
            well_formed = false;
          }
        }
      });
    }
  }
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(rejected.load(), 1);
  EXPECT_TRUE(well_formed.load());
  EXPECT_EQ((*started)->Stop(), 0);
}

}  // namespace
}  // namespace inferd::testing

namespace inferd::testing {
namespace {

// 32 clients each send the conv net one JSON request of 150,528 floats (~1 MB of text) at once.
// Decoding takes milliseconds per request: decoded in turn on the one IO thread they would
// reach the batcher one by one; decoded on the offload threads they arrive together and batch.
TEST(HttpLargeJsonTest, ConcurrentLargeJsonRequestsFormBatches) {
  const fs::path root =
      fs::temp_directory_path() / ("inferd_large_json_" + std::to_string(std::random_device{}()));
  fs::create_directories(root / "convnet" / "1");
  fs::copy_file(SourcePath("examples/model_repository/convnet/1/model.onnx"),
                root / "convnet" / "1" / "model.onnx");
  std::ofstream(root / "convnet" / "config.pbtxt") << R"(backend: "onnxruntime" max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ 3, 224, 224 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ 10 ] } ]
instance_group [ { kind: KIND_CPU count: 1 } ]
dynamic_batching { max_queue_delay_microseconds: 100000 }
)";
  auto started = ServerProcess::Start(
      {"--model-repository", root.string(), "--http-threads", "1", "--http-offload-threads", "2"});
  ASSERT_TRUE(started.ok()) << started.status();
  const int port = (*started)->http_port();
  constexpr int kClients = 32, kFloats = 3 * 224 * 224;
  std::string data;
  data.reserve(kFloats * 5);
  for (int i = 0; i < kFloats; ++i) data += (i ? ",0.5" : "0.5");
  const std::string body =
      R"({"inputs":[{"name":"INPUT0","shape":[1,3,224,224],"datatype":"FP32","data":[)" + data +
      "]}]}";
  std::atomic<int> ok{0};
  {
    std::vector<std::jthread> clients;
    for (int t = 0; t < kClients; ++t) {
      clients.emplace_back([&] {
        client::HttpConnection c("127.0.0.1", port);
        auto r = c.Post("/v2/models/convnet/infer", body);
        if (r.ok() && r->status == 200 && ParseJson(r->body)["outputs"][0]["data"].Size() == 10) {
          ++ok;
        }
      });
    }
  }
  EXPECT_EQ(ok.load(), kClients);
  client::HttpConnection c("127.0.0.1", port);
  auto stats = c.Get("/v2/models/convnet/stats");
  ASSERT_TRUE(stats.ok() && stats->status == 200);
  const auto doc = ParseJson(stats->body);
  const auto& m = doc["model_stats"][0];
  EXPECT_EQ(m["inference_count"].GetUint64(), uint64_t{kClients});
  EXPECT_LT(m["execution_count"].GetUint64(), m["inference_count"].GetUint64());
  EXPECT_EQ((*started)->Stop(), 0);
  fs::remove_all(root);
}

}  // namespace
}  // namespace inferd::testing
