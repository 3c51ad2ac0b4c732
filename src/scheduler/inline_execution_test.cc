// The inline fast path: a tiny model's batch-of-one runs on the caller's thread when an instance
// is idle; otherwise (not measured yet, path disabled, or a queue delay) requests go to workers.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "scheduler/batching_scheduler.h"
#include "scheduler/test_util.h"
#include "testing/fake_backend.h"

namespace inferd::scheduler {
namespace {

using testing::MakeRequest;

// Runs one request and returns the id of the thread its callback ran on.
std::thread::id RunOne(BatchingScheduler& scheduler, int32_t value) {
  std::promise<std::thread::id> where;
  scheduler.Enqueue(MakeRequest("r", value), [&](StatusOr<core::InferenceResponse> r) {
    EXPECT_TRUE(r.ok()) << r.status();
    where.set_value(std::this_thread::get_id());
  });
  return where.get_future().get();
}

std::vector<std::unique_ptr<backend::Instance>> OneInstance() {
  std::vector<std::unique_ptr<backend::Instance>> v;
  v.push_back(std::make_unique<backend::testing::FakeInstance>());
  return v;
}

BatchingOptions Options(Clock::Duration inline_below) {
  BatchingOptions o;
  o.model_name = "m";
  o.max_batch_size = 4;
  o.inline_below = inline_below;
  return o;
}

TEST(InlineExecutionTest, FastModelRunsOnCallerThreadOnceMeasured) {
  BatchingScheduler scheduler(Options(std::chrono::seconds(1)), OneInstance(), {});
  const auto me = std::this_thread::get_id();
  EXPECT_NE(RunOne(scheduler, 1), me);  // first run: nothing measured yet, a worker runs it
  // The worker goes idle after delivering; once it is, the next request runs right here.
  bool inline_seen = false;
  for (int i = 0; i < 1000 && !inline_seen; ++i) inline_seen = RunOne(scheduler, i) == me;
  EXPECT_TRUE(inline_seen);
}

TEST(InlineExecutionTest, DisabledOrDelayedModelsAlwaysUseWorkers) {
  const auto me = std::this_thread::get_id();
  BatchingScheduler disabled(Options(Clock::Duration::zero()), OneInstance(), {});
  auto delayed_options = Options(std::chrono::seconds(1));
  delayed_options.dynamic_batching = true;
  delayed_options.max_queue_delay = std::chrono::microseconds(1);
  BatchingScheduler delayed(delayed_options, OneInstance(), {});
  for (int i = 0; i < 50; ++i) {
    EXPECT_NE(RunOne(disabled, i), me);
    EXPECT_NE(RunOne(delayed, i), me);
  }
}

// After an inline execution only a lender that woke for work while its instance was away is
// woken (ADR 0018); a request queued in that window must still run once the instance is back.
TEST(InlineExecutionTest, RequestQueuedWhileLentRunsWhenTheInstanceReturns) {
  auto hold = std::make_shared<backend::testing::Gate>();
  backend::testing::FakeInstanceOptions instance_options;
  instance_options.on_execute = [hold](std::span<const core::Tensor> inputs) {
    if (testing::FirstValue(inputs) == -7) hold->Wait();
  };
  std::vector<std::unique_ptr<backend::Instance>> instances;
  instances.push_back(std::make_unique<backend::testing::FakeInstance>(instance_options));
  BatchingScheduler scheduler(Options(std::chrono::seconds(1)), std::move(instances), {});
  const auto me = std::this_thread::get_id();
  RunOne(scheduler, 1);  // measured by the worker (warm-up values are never -7)
  bool inline_seen = false;
  for (int i = 0; i < 1000 && !inline_seen; ++i) inline_seen = RunOne(scheduler, i) == me;
  ASSERT_TRUE(inline_seen);

  std::thread::id caller_id;
  std::thread::id held_on;
  std::thread caller([&] {  // borrows the idle instance
    caller_id = std::this_thread::get_id();
    held_on = RunOne(scheduler, -7);
  });
  ASSERT_TRUE(hold->AwaitWaitingFor(1, absl::Seconds(30)));
  std::promise<void> queued_done;
  scheduler.Enqueue(MakeRequest("queued", 5), [&](StatusOr<core::InferenceResponse> r) {
    EXPECT_TRUE(r.ok()) << r.status();
    queued_done.set_value();
  });
  hold->Open();
  caller.join();
  EXPECT_EQ(held_on, caller_id);  // the held request ran inline, its instance lent
  EXPECT_EQ(queued_done.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
}

}  // namespace
}  // namespace inferd::scheduler
