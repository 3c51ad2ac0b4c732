// A model without dynamic_batching: each request runs alone on a free instance.
#include "scheduler/batching_scheduler.h"

#include <gtest/gtest.h>

#include <future>
#include <utility>

#include "testing/fake_backend.h"

namespace inferd::scheduler {
namespace {

using backend::testing::FakeInstance;
using backend::testing::Gate;

std::unique_ptr<core::InferenceRequest> MakeRequest(std::string id) {
  auto request = std::make_unique<core::InferenceRequest>();
  request->model_name = "m";
  request->id = std::move(id);
  auto owned = core::MakeOwnedTensor("IN", core::DataType::kInt32, {1}, 4);
  request->inputs.push_back(std::move(owned.tensor));
  return request;
}

std::vector<std::unique_ptr<backend::Instance>> Instances(int n, std::shared_ptr<Gate> gate) {
  std::vector<std::unique_ptr<backend::Instance>> out;
  for (int i = 0; i < n; ++i) out.push_back(std::make_unique<FakeInstance>(gate));
  return out;
}

// No batching; `max_queue_size` 0 = unbounded.
BatchingOptions Unbatched(int64_t version, size_t max_queue_size) {
  BatchingOptions options;
  options.model_name = "m";
  options.model_version = version;
  options.queue.default_policy.max_queue_size = max_queue_size;
  return options;
}

TEST(UnbatchedSchedulerTest, RunsRequestAndEchoesIdAndVersion) {
  BatchingScheduler scheduler(Unbatched(3, 0), Instances(1, nullptr), {});
  std::promise<StatusOr<core::InferenceResponse>> result;
  scheduler.Enqueue(MakeRequest("abc"),
                    [&](StatusOr<core::InferenceResponse> r) { result.set_value(std::move(r)); });
  auto response = result.get_future().get();
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->id, "abc");
  EXPECT_EQ(response->model_version, 3);
  ASSERT_EQ(response->outputs.size(), 1u);
  EXPECT_EQ(response->outputs[0].data.size(), 4u);
}

TEST(UnbatchedSchedulerTest, FullQueueRejectsAtOnce) {
  auto gate = std::make_shared<Gate>();
  BatchingScheduler scheduler(Unbatched(1, 1), Instances(1, gate), {});
  std::atomic<int> ok{0};
  auto count_ok = [&](StatusOr<core::InferenceResponse> r) { ok += r.ok() ? 1 : 0; };
  scheduler.Enqueue(MakeRequest("running"), count_ok);
  gate->AwaitWaiting(1);                               // first request is executing
  scheduler.Enqueue(MakeRequest("queued"), count_ok);  // fills the queue of 1
  Status rejected;
  scheduler.Enqueue(MakeRequest("rejected"),
                    [&](StatusOr<core::InferenceResponse> r) { rejected = r.status(); });
  EXPECT_EQ(rejected.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(rejected.message().find("Exceeds maximum queue size"), std::string::npos);
  gate->Open();
  scheduler.Shutdown();  // drains: both accepted requests complete
  EXPECT_EQ(ok.load(), 2);
}

TEST(UnbatchedSchedulerTest, InstancesRunConcurrently) {
  auto gate = std::make_shared<Gate>();
  BatchingScheduler scheduler(Unbatched(1, 0), Instances(2, gate), {});
  std::atomic<int> done{0};
  for (int i = 0; i < 2; ++i) {
    scheduler.Enqueue(MakeRequest("r"), [&](StatusOr<core::InferenceResponse>) { ++done; });
  }
  gate->AwaitWaiting(2);  // would hang if the two instances did not run in parallel
  gate->Open();
  scheduler.Shutdown();
  EXPECT_EQ(done.load(), 2);
}

TEST(UnbatchedSchedulerTest, BackendErrorIsReturnedAndEnqueueAfterShutdownRejected) {
  std::vector<std::unique_ptr<backend::Instance>> instances;
  instances.push_back(std::make_unique<FakeInstance>(nullptr, absl::InternalError("boom")));
  BatchingScheduler scheduler(Unbatched(1, 0), std::move(instances), {});
  std::promise<Status> first;
  scheduler.Enqueue(MakeRequest("x"),
                    [&](StatusOr<core::InferenceResponse> r) { first.set_value(r.status()); });
  EXPECT_EQ(first.get_future().get().code(), absl::StatusCode::kInternal);
  scheduler.Shutdown();
  Status after;
  scheduler.Enqueue(MakeRequest("y"),
                    [&](StatusOr<core::InferenceResponse> r) { after = r.status(); });
  EXPECT_EQ(after.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace inferd::scheduler
