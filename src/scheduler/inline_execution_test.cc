// The inline fast path: a tiny model's batch-of-one runs on the caller's thread when an instance
// is idle; otherwise (not measured yet, path disabled, or a queue delay) requests go to workers.
#include <gtest/gtest.h>

#include <future>
#include <thread>

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

}  // namespace
}  // namespace inferd::scheduler
