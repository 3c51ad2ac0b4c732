// ModelStreamInfer with many requests in flight (responses matched by id, errors in
// error_message without closing the stream), and deadlines / cancellation on ModelInfer.
#include <atomic>
#include <map>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

class GrpcStreamTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository")});
  }
  static void ExpectStillServing() {
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse r;
    const ::grpc::Status s = stub_->ModelInfer(&c, SimpleRequest(1, true), &r);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(Output0(r)[3], 5);
  }
  // A convnet request big enough to stay queued / running for a while.
  static ModelInferRequest ConvnetRequest() {
    ModelInferRequest q;
    q.set_model_name("convnet");
    auto* in = q.add_inputs();
    in->set_name("INPUT0");
    in->set_datatype("FP32");
    for (int64_t d : {8, 3, 224, 224}) in->add_shape(d);
    q.add_raw_input_contents(std::string(size_t{8} * 3 * 224 * 224 * 4, '\0'));
    return q;
  }
};

TEST_F(GrpcStreamTest, HundredRequestsInFlightMatchedById) {
  constexpr int kRequests = 100;
  ::grpc::ClientContext c;
  Bound(c, std::chrono::seconds(60));
  auto stream = stub_->ModelStreamInfer(&c);
  // Write everything before reading anything: all 100 are in flight at once.
  for (int i = 0; i < kRequests; ++i) {
    ModelInferRequest q = SimpleRequest(i * 100, i % 2 == 0, "req-" + std::to_string(i));
    if (i % 10 == 9) q.set_model_name("nope");  // errors travel in error_message
    ASSERT_TRUE(stream->Write(q));
  }
  ASSERT_TRUE(stream->WritesDone());
  std::map<std::string, ::inference::ModelStreamInferResponse> by_id;
  ::inference::ModelStreamInferResponse response;
  while (stream->Read(&response)) by_id[response.infer_response().id()] = response;
  const ::grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(by_id.size(), static_cast<size_t>(kRequests));
  for (int i = 0; i < kRequests; ++i) {
    SCOPED_TRACE(i);
    const auto& r = by_id["req-" + std::to_string(i)];
    if (i % 10 == 9) {
      EXPECT_NE(r.error_message().find("nope"), std::string::npos) << r.error_message();
      continue;
    }
    ASSERT_TRUE(r.error_message().empty()) << r.error_message();
    EXPECT_EQ(r.infer_response().raw_output_contents_size(), 2);  // typed requests too
    const auto out = Output0(r.infer_response());
    ASSERT_EQ(out.size(), 16u);
    EXPECT_EQ(out[5], i * 100 + 5 + 1);
  }
  ExpectStillServing();
}

TEST_F(GrpcStreamTest, MalformedRequestInStreamIsAnsweredAndStreamContinues) {
  ::grpc::ClientContext c;
  Bound(c);
  auto stream = stub_->ModelStreamInfer(&c);
  ModelInferRequest bad = SimpleRequest(0, true, "bad");
  bad.mutable_inputs(0)->mutable_contents()->add_int_contents(1);
  ASSERT_TRUE(stream->Write(bad));
  ::inference::ModelStreamInferResponse r;
  ASSERT_TRUE(stream->Read(&r));
  EXPECT_EQ(r.infer_response().id(), "bad");
  EXPECT_NE(r.error_message().find("one form"), std::string::npos) << r.error_message();
  ASSERT_TRUE(stream->Write(SimpleRequest(2, true, "good")));
  ASSERT_TRUE(stream->Read(&r));
  EXPECT_TRUE(r.error_message().empty()) << r.error_message();
  EXPECT_EQ(Output0(r.infer_response())[0], 3);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

// Many heavy requests with a tiny deadline: each fails DEADLINE_EXCEEDED (the server cancels
// the queued ones), and the server answers normally afterwards.
TEST_F(GrpcStreamTest, TinyDeadlineExceedsAndServerKeepsServing) {
  constexpr int kCalls = 16;
  const ModelInferRequest q = ConvnetRequest();
  std::vector<std::unique_ptr<::grpc::ClientContext>> contexts;
  std::vector<ModelInferResponse> responses(kCalls);
  std::vector<::grpc::Status> statuses(kCalls);
  absl::Mutex mu;
  int done = 0;
  for (int i = 0; i < kCalls; ++i) {
    contexts.push_back(std::make_unique<::grpc::ClientContext>());
    Bound(*contexts.back(), std::chrono::milliseconds(5));
    stub_->async()->ModelInfer(contexts.back().get(), &q, &responses[i], [&, i](::grpc::Status s) {
      absl::MutexLock lock(&mu);
      statuses[i] = std::move(s);
      ++done;
    });
  }
  {
    absl::MutexLock lock(&mu);
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(
                                        +[](int* n) { return *n == kCalls; }, &done),
                                    absl::Seconds(60)));
  }
  int exceeded = 0;
  for (const auto& s : statuses) {
    EXPECT_TRUE(s.ok() || s.error_code() == ::grpc::StatusCode::DEADLINE_EXCEEDED)
        << s.error_code() << " " << s.error_message();
    exceeded += s.error_code() == ::grpc::StatusCode::DEADLINE_EXCEEDED;
  }
  EXPECT_GT(exceeded, 0);
  ExpectStillServing();
}

TEST_F(GrpcStreamTest, CancelledCallsAreCancelledAndServerKeepsServing) {
  constexpr int kCalls = 8;
  const ModelInferRequest q = ConvnetRequest();
  std::vector<std::unique_ptr<::grpc::ClientContext>> contexts;
  std::vector<ModelInferResponse> responses(kCalls);
  std::vector<::grpc::Status> statuses(kCalls);
  absl::Mutex mu;
  int done = 0;
  for (int i = 0; i < kCalls; ++i) {
    contexts.push_back(std::make_unique<::grpc::ClientContext>());
    Bound(*contexts.back());
    stub_->async()->ModelInfer(contexts.back().get(), &q, &responses[i], [&, i](::grpc::Status s) {
      absl::MutexLock lock(&mu);
      statuses[i] = std::move(s);
      ++done;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (auto& context : contexts) context->TryCancel();
  {
    absl::MutexLock lock(&mu);
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(
                                        +[](int* n) { return *n == kCalls; }, &done),
                                    absl::Seconds(60)));
  }
  int cancelled = 0;
  for (const auto& s : statuses) {
    EXPECT_TRUE(s.ok() || s.error_code() == ::grpc::StatusCode::CANCELLED) << s.error_message();
    cancelled += s.error_code() == ::grpc::StatusCode::CANCELLED;
  }
  EXPECT_GT(cancelled, 0);
  ExpectStillServing();
}

}  // namespace
}  // namespace inferd::testing
