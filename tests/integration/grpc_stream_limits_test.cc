// A ModelStreamInfer client that sends and never reads must not make the server hold every
// response: the stream stops being read at its caps (--grpc-stream-max-inflight,
// --grpc-stream-max-queued-bytes), HTTP/2 flow control then blocks the client's writes, the
// server's RSS stays bounded, other clients are served meanwhile, and the stream completes
// correctly once the client reads.
#include <atomic>
#include <cstdio>
#include <map>
#include <thread>

#include "grpc_test_util.h"
#include "testing/proc_stats.h"

namespace inferd::testing {
namespace {

constexpr int64_t kElements = 65536;  // 256 KiB of FP32 per request and per response
// Growth allowed while the stream is stalled. Measured +15 MiB with the caps below, +211 MiB
// without them. ASan's quarantine keeps freed blocks resident (up to 256 MiB), so it gets more.
#if defined(__SANITIZE_ADDRESS__)
constexpr int64_t kMaxGrowthKib = 192 << 10;
#else
constexpr int64_t kMaxGrowthKib = 96 << 10;
#endif

// identity_all_types echoes IN_<T> as OUT_<T>: every input empty but IN_FP32, and only OUT_FP32
// requested, so each response carries kElements floats, the first equal to `i`.
ModelInferRequest BigIdentityRequest(int i) {
  ModelInferRequest q;
  q.set_model_name("identity_all_types");
  q.set_id("r" + std::to_string(i));
  const std::pair<const char*, const char*> inputs[] = {
      {"BOOL", "BOOL"},     {"UINT8", "UINT8"}, {"UINT16", "UINT16"}, {"UINT32", "UINT32"},
      {"UINT64", "UINT64"}, {"INT8", "INT8"},   {"INT16", "INT16"},   {"INT32", "INT32"},
      {"INT64", "INT64"},   {"FP16", "FP16"},   {"BF16", "BF16"},     {"FP32", "FP32"},
      {"FP64", "FP64"},     {"STRING", "BYTES"}};
  for (const auto& [suffix, datatype] : inputs) {
    auto* in = q.add_inputs();
    in->set_name(std::string("IN_") + suffix);
    in->set_datatype(datatype);
    in->add_shape(1);
    const bool big = std::string(suffix) == "FP32";
    in->add_shape(big ? kElements : 0);
    std::vector<float> values(big ? kElements : 0, 0.0f);
    if (big) values[0] = static_cast<float>(i);
    q.add_raw_input_contents(RawBytes(values));
  }
  q.add_outputs()->set_name("OUT_FP32");
  return q;
}

class GrpcStreamLimitsTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("tests/testdata/model_repository"),
                 "--grpc-stream-max-inflight", "16", "--grpc-stream-max-queued-bytes",
                 std::to_string(4 << 20)});
  }
};

TEST_F(GrpcStreamLimitsTest, StreamThatIsNeverReadHoldsBoundedMemory) {
  constexpr int kRequests = 800;  // 200 MiB of responses if the server held them all
  // Warm up (the model's first run allocates), then take the baseline.
  {
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse r;
    ASSERT_TRUE(stub_->ModelInfer(&c, BigIdentityRequest(0), &r).ok());
  }
  const int64_t baseline_kib = ResidentKib(server_->pid());
  ASSERT_GT(baseline_kib, 0);

  ::grpc::ClientContext context;
  Bound(context, std::chrono::seconds(120));
  auto stream = stub_->ModelStreamInfer(&context);
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; i < kRequests; ++i) {
      if (!stream->Write(BigIdentityRequest(i))) return;
      ++written;
    }
    stream->WritesDone();
  });
  // The writer blocks once the server stops reading: wait until it makes no progress for 1 s.
  int last = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (written.load() != last && written.load() < kRequests &&
         std::chrono::steady_clock::now() < deadline) {
    last = written.load();
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  const int64_t paused_kib = ResidentKib(server_->pid());
  const int sent_while_paused = written.load();
  std::printf(
      "stream never read: %d of %d requests sent; server RSS %lld KiB -> %lld KiB (+%lld)\n",
      sent_while_paused, kRequests, static_cast<long long>(baseline_kib),
      static_cast<long long>(paused_kib), static_cast<long long>(paused_kib - baseline_kib));
  EXPECT_LT(sent_while_paused, kRequests) << "the server never applied back-pressure";
  EXPECT_LT(paused_kib - baseline_kib, kMaxGrowthKib) << "the server buffered the unread responses";

  {  // Another client is served while the stream is stalled.
    ::grpc::ClientContext c;
    Bound(c, std::chrono::seconds(10));
    ModelInferResponse r;
    ModelInferRequest q = SimpleRequest(1, true);
    q.set_model_name("simple_copy");
    const ::grpc::Status s = stub_->ModelInfer(&c, q, &r);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(Output0(r)[3], 5);
  }

  // Reading now drains the stream: every request is answered, in full, matched by id.
  std::map<std::string, float> first_value;
  ::inference::ModelStreamInferResponse response;
  while (stream->Read(&response)) {
    ASSERT_TRUE(response.error_message().empty()) << response.error_message();
    const auto& r = response.infer_response();
    ASSERT_EQ(r.raw_output_contents_size(), 1);
    ASSERT_EQ(r.raw_output_contents(0).size(), size_t{kElements} * 4);
    first_value[r.id()] = FromRaw<float>(r.raw_output_contents(0).substr(0, 4))[0];
  }
  writer.join();
  const ::grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(first_value.size(), static_cast<size_t>(kRequests));
  for (int i = 0; i < kRequests; ++i) {
    EXPECT_EQ(first_value["r" + std::to_string(i)], static_cast<float>(i)) << i;
  }
}

// Triton's rules for the sequence parameters, over the real server.
TEST_F(GrpcStreamLimitsTest, SequenceParametersAreValidated) {
  auto call = [](auto set) {
    ModelInferRequest q = SimpleRequest(1, true);
    q.set_model_name("simple_copy");
    set(*q.mutable_parameters());
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse r;
    return stub_->ModelInfer(&c, q, &r);
  };
  EXPECT_TRUE(call([](auto& p) { p["sequence_id"].set_string_param("abc"); }).ok());
  EXPECT_TRUE(call([](auto& p) { p["sequence_id"].set_uint64_param(~uint64_t{0}); }).ok());
  const ::grpc::Status negative = call([](auto& p) { p["sequence_id"].set_int64_param(-1); });
  EXPECT_EQ(negative.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(negative.error_message().find("sequence_id"), std::string::npos);
  const ::grpc::Status start = call([](auto& p) { p["sequence_start"].set_int64_param(1); });
  EXPECT_EQ(start.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(start.error_message().find("sequence_start"), std::string::npos);
}

}  // namespace
}  // namespace inferd::testing
