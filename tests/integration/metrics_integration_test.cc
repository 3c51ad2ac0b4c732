// Observability through the real binary: /metrics passes the strict exposition checker; after a
// known mix of successful, invalid, rejected (queue full) and cancelled requests over HTTP and
// gRPC every counter and histogram count equals what was sent; the dashboard and alert rules in
// deploy/monitoring use only metric names the server exports.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "client/http_connection.h"
#include "grpc_test_util.h"
#include "testing/format_checker.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;
using metrics::FindValue;
using metrics::Labels;
using metrics::ParsedSample;

std::string SimpleConfig(const std::string& name, const std::string& scheduling) {
  return "name: \"" + name + R"(" backend: "onnxruntime" max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
        { name: "INPUT1" data_type: TYPE_INT32 dims: [ 16 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_INT32 dims: [ 16 ] },
         { name: "OUTPUT1" data_type: TYPE_INT32 dims: [ 16 ] } ]
instance_group [ { kind: KIND_CPU count: 1 } ]
)" + scheduling;
}

std::string Body(int rows = 1) {
  std::string a;
  for (int i = 0; i < 16 * rows; ++i) a += (i ? "," : "") + std::to_string(i);
  const std::string shape = "[" + std::to_string(rows) + ",16]";
  return R"({"inputs":[{"name":"INPUT0","shape":)" + shape + R"(,"datatype":"INT32","data":[)" + a +
         R"(]},{"name":"INPUT1","shape":)" + shape + R"(,"datatype":"INT32","data":[)" + a + "]}]}";
}

// Decodes, but INPUT1 is missing: fails validation against the model (reason OTHER).
std::string InvalidBody() {
  return R"({"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32",)"
         R"("data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}]})";
}

class MetricsIntegrationTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() /
            ("inferd_metrics_test_" + std::to_string(std::random_device{}()));
    AddModel("fast", "");
    // Holds admitted requests ~1 s for a batch of 8: two fill the queue, more are rejected.
    AddModel("queued",
             "dynamic_batching { max_queue_delay_microseconds: 1000000 preferred_batch_size: [ 8 ] "
             "default_queue_policy { max_queue_size: 2 } }\n");
    StartServer({"--model-repository", root_.string(), "--metrics-latency-buckets-us",
                 "50,1000,100000,10000000"});
  }
  static void TearDownTestSuite() {
    GrpcServerSuite::TearDownTestSuite();
    fs::remove_all(root_);
  }
  static void AddModel(const std::string& name, const std::string& scheduling) {
    fs::create_directories(root_ / name / "1");
    fs::copy_file(SourcePath("examples/model_repository/simple/1/model.onnx"),
                  root_ / name / "1" / "model.onnx");
    std::ofstream(root_ / name / "config.pbtxt") << SimpleConfig(name, scheduling);
  }
  static client::HttpConnection Http() {
    return client::HttpConnection("127.0.0.1", server_->http_port());
  }
  // The scraped samples; the text must pass the strict format checker.
  static std::vector<ParsedSample> Scrape() {
    client::HttpConnection c("127.0.0.1", server_->metrics_port());
    auto r = c.Get("/metrics");
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return {};
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    auto parsed = metrics::ParseExposition(r->body);
    EXPECT_TRUE(parsed.ok()) << parsed.status() << "\n" << r->body;
    return parsed.ok() ? *std::move(parsed) : std::vector<ParsedSample>{};
  }
  static double Value(const std::vector<ParsedSample>& s, const std::string& name,
                      const Labels& labels) {
    auto v = FindValue(s, name, labels);
    EXPECT_TRUE(v.has_value()) << name;
    return v.value_or(-1);
  }
  // Polls /metrics until `done` holds (bounded: 10 s).
  static std::vector<ParsedSample> AwaitMetrics(
      const std::function<bool(const std::vector<ParsedSample>&)>& done) {
    std::vector<ParsedSample> samples;
    for (int i = 0; i < 500; ++i) {
      samples = Scrape();
      if (done(samples)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return samples;
  }
  static inline fs::path root_;
};

Labels Model(const std::string& name) { return {{"model", name}, {"version", "1"}}; }
Labels Reason(const std::string& name, const std::string& reason) {
  Labels l = Model(name);
  l.emplace_back("reason", reason);
  return l;
}

TEST_F(MetricsIntegrationTest, CountersEqualAKnownMixOfRequests) {
  auto c = Http();
  // fast: 3 HTTP successes, 1 gRPC success, 2 invalid.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.Post("/v2/models/fast/infer", Body())->status, 200);
  {
    ::grpc::ClientContext context;
    Bound(context);
    auto request = SimpleRequest(1, /*raw=*/true);
    request.set_model_name("fast");
    ModelInferResponse response;
    ASSERT_TRUE(stub_->ModelInfer(&context, request, &response).ok());
  }
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(c.Post("/v2/models/fast/infer", InvalidBody())->status, 400);

  // queued: two admitted requests wait for their batch; three more find the queue full.
  std::vector<std::jthread> admitted;
  for (int i = 0; i < 2; ++i) {
    admitted.emplace_back([] {
      auto own = Http();
      auto r = own.Post("/v2/models/queued/infer", Body());
      EXPECT_TRUE(r.ok() && r->status == 200);
    });
  }
  AwaitMetrics([](const auto& s) {
    return FindValue(s, "nv_inference_pending_request_count", Model("queued")) == 2;
  });
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.Post("/v2/models/queued/infer", Body())->status, 503);
  admitted.clear();  // joins: both succeeded in one batch of 2

  // queued: one request whose client goes away while it waits is cancelled.
  const std::string body = Body();
  const std::string raw = "POST /v2/models/queued/infer HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->http_port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(send(fd, raw.data(), raw.size(), 0), static_cast<ssize_t>(raw.size()));
  AwaitMetrics([](const auto& s) {
    return FindValue(s, "nv_inference_pending_request_count", Model("queued")) == 1;
  });
  close(fd);

  const auto s = AwaitMetrics([](const auto& now) {
    return FindValue(now, "nv_inference_request_failure", Reason("queued", "CANCELED")) == 1 &&
           metrics::SumValues(now, "nv_http_request_count", {{"endpoint", "infer"}}) == 11 &&
           FindValue(now, "nv_inference_inflight_request_count", {}) == 0;
  });
  EXPECT_EQ(Value(s, "nv_inference_request_success", Model("fast")), 4);
  EXPECT_EQ(Value(s, "nv_inference_request_failure", Reason("fast", "OTHER")), 2);
  EXPECT_EQ(Value(s, "nv_inference_request_failure", Reason("fast", "REJECTED")), 0);
  EXPECT_EQ(Value(s, "nv_inference_request_failure", Reason("fast", "BACKEND")), 0);
  EXPECT_EQ(Value(s, "nv_inference_count", Model("fast")), 4);
  EXPECT_EQ(Value(s, "nv_inference_exec_count", Model("fast")), 4);
  EXPECT_EQ(Value(s, "nv_inference_request_success", Model("queued")), 2);
  EXPECT_EQ(Value(s, "nv_inference_request_failure", Reason("queued", "REJECTED")), 3);
  EXPECT_EQ(Value(s, "nv_inference_request_failure", Reason("queued", "CANCELED")), 1);
  EXPECT_EQ(Value(s, "nv_inference_request_failure", Reason("queued", "OTHER")), 0);
  EXPECT_EQ(Value(s, "nv_inference_exec_count", Model("queued")), 1);
  EXPECT_EQ(Value(s, "nv_inference_count", Model("queued")), 2);
  EXPECT_EQ(Value(s, "nv_inference_pending_request_count", Model("queued")), 0);
  for (const char* h : {"nv_inference_request_histogram_us", "nv_inference_queue_histogram_us",
                        "nv_inference_compute_histogram_us"}) {
    const std::string name(h);
    EXPECT_EQ(Value(s, name + "_count", Model("fast")), 4) << h;
    EXPECT_EQ(Value(s, name + "_count", Model("queued")), 2) << h;
    EXPECT_EQ(Value(s, name + "_bucket",
                    [&] {
                      Labels l = Model("fast");
                      l.emplace_back("le", "+Inf");
                      return l;
                    }()),
              4);
  }
  // The configured buckets; the queued requests waited ~1 s: above 100 ms, within 10 s.
  Labels le = Model("queued");
  le.emplace_back("le", "100000");
  EXPECT_EQ(Value(s, "nv_inference_queue_histogram_us_bucket", le), 0);
  le.back().second = "10000000";
  EXPECT_EQ(Value(s, "nv_inference_queue_histogram_us_bucket", le), 2);
  // One batch of 2 rows.
  le.back().second = "1";
  EXPECT_EQ(Value(s, "nv_inference_batch_size_histogram_bucket", le), 0);
  le.back().second = "2";
  EXPECT_EQ(Value(s, "nv_inference_batch_size_histogram_bucket", le), 1);
  EXPECT_EQ(Value(s, "nv_inference_batch_size_histogram_count", Model("queued")), 1);
  EXPECT_EQ(Value(s, "nv_inference_batch_size_histogram_sum", Model("queued")), 2);

  EXPECT_EQ(Value(s, "nv_http_request_count", {{"endpoint", "infer"}, {"code", "200"}}), 5);
  // 400: the two invalid requests and the cancelled one (answered 400, to a client already gone).
  EXPECT_EQ(Value(s, "nv_http_request_count", {{"endpoint", "infer"}, {"code", "400"}}), 3);
  EXPECT_EQ(Value(s, "nv_http_request_count", {{"endpoint", "infer"}, {"code", "503"}}), 3);
  EXPECT_EQ(Value(s, "nv_grpc_request_count", {{"method", "ModelInfer"}, {"code", "OK"}}), 1);
  EXPECT_EQ(Value(s, "nv_model_ready", Model("fast")), 1);
  EXPECT_GT(Value(s, "nv_process_resident_memory_bytes", {}), 0);
  EXPECT_GT(Value(s, "nv_cpu_memory_total_bytes", {}), 0);
  const double cpu = Value(s, "nv_cpu_utilization", {});
  EXPECT_GE(cpu, 0);
  EXPECT_LE(cpu, 1);
}

// Every metric a shipped dashboard panel or alert rule queries exists in the real output. CTest
// runs each test in its own process, so this one sends the traffic that creates the
// request-driven series itself.
TEST_F(MetricsIntegrationTest, DashboardAndAlertsUseOnlyExportedMetrics) {
  auto c = Http();
  ASSERT_EQ(c.Post("/v2/models/fast/infer", Body())->status, 200);
  {
    ::grpc::ClientContext context;
    Bound(context);
    ::inference::ServerLiveResponse live;
    ASSERT_TRUE(stub_->ServerLive(&context, {}, &live).ok());
  }
  // Sample names, and histogram family names (a description may name the family).
  std::set<std::string> exported;
  for (const auto& sample : Scrape()) {
    exported.insert(sample.name);
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (sample.name.ends_with(suffix)) {
        exported.insert(sample.name.substr(0, sample.name.size() - suffix.size()));
      }
    }
  }
  const std::regex name("nv_[a-z0-9_]+");  // every Triton-style name is nv_*
  for (const char* file :
       {"deploy/monitoring/grafana-dashboard.json", "deploy/monitoring/prometheus-alerts.yml"}) {
    std::ifstream in(SourcePath(file));
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    int found = 0;
    for (auto it = std::sregex_iterator(content.begin(), content.end(), name);
         it != std::sregex_iterator(); ++it) {
      ++found;
      EXPECT_TRUE(exported.count(it->str()) != 0) << file << " uses " << it->str();
    }
    EXPECT_GT(found, 5) << file;
  }
}

}  // namespace
}  // namespace inferd::testing
