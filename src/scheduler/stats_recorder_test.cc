#include "scheduler/stats_recorder.h"

#include <gtest/gtest.h>

#include "backend/testing/fake_backend.h"
#include "common/testing/fake_clock.h"
#include "scheduler/scheduler_factory.h"
#include "scheduler/test_util.h"

namespace inferd::scheduler {
namespace {

using std::chrono::microseconds;
using testing::Collector;
using testing::MakeRequest;
using testing::ParseConfig;

TEST(StatsRecorderTest, CountsAKnownSequenceExactly) {
  inferd::testing::FakeClock clock;
  auto stats = std::make_shared<StatsRecorder>("m", 3, 4);
  std::vector<std::unique_ptr<backend::Instance>> instances;
  instances.push_back(std::make_unique<backend::testing::FakeInstance>(
      backend::testing::FakeInstanceOptions{.clock = &clock, .latency = microseconds(50)}));
  auto scheduler = CreateScheduler(
      ParseConfig("name: 'm' max_batch_size: 4 dynamic_batching { max_queue_delay_microseconds: "
                  "100 }"),
      3, std::move(instances), SchedulerContext{&clock, stats});
  ASSERT_TRUE(scheduler.ok());
  Collector collector;
  const auto t0 = clock.Now();
  (*scheduler)->Enqueue(MakeRequest("a", 0), collector.Callback("a"));
  (*scheduler)->Enqueue(MakeRequest("b", 0, 2), collector.Callback("b"));
  clock.AwaitWaiter(t0 + microseconds(100));
  clock.Advance(microseconds(100));
  collector.AwaitCount(2);
  auto cancelled = MakeRequest("c", 0);
  cancelled->cancellation = std::make_shared<core::CancellationFlag>();
  cancelled->cancellation->Cancel();
  (*scheduler)->Enqueue(std::move(cancelled), collector.Callback("c"));
  (*scheduler)->Shutdown();

  const auto s = stats->Snapshot();
  EXPECT_EQ(s.name, "m");
  EXPECT_EQ(s.version, "3");
  EXPECT_EQ(s.inference_stats.success.count, 2u);
  EXPECT_EQ(s.inference_stats.fail.count, 1u);
  EXPECT_EQ(s.inference_stats.queue.count, 2u);
  EXPECT_EQ(s.inference_stats.queue.ns, 2u * 100'000u);
  EXPECT_EQ(s.inference_stats.compute_infer.ns, 2u * 50'000u);
  EXPECT_EQ(s.inference_stats.compute_input.count, 2u);
  EXPECT_EQ(s.execution_count, 1u);
  EXPECT_EQ(s.inference_count, 3u);  // rows: 1 + 2
  EXPECT_LT(s.execution_count, s.inference_count);
  EXPECT_GT(s.last_inference_ms, 0u);
  ASSERT_EQ(s.batch_stats.size(), 1u);
  EXPECT_EQ(s.batch_stats[0].batch_size, 3u);
  EXPECT_EQ(s.batch_stats[0].compute_infer.count, 1u);
  EXPECT_EQ(s.batch_stats[0].compute_infer.ns, 50'000u);
}

TEST(StatsRecorderTest, BatchSizesBeyondTheTableAreKeptInOrder) {
  StatsRecorder stats("m", 1, 2);
  stats.RecordExecution(7, {}, std::chrono::nanoseconds(5), {});
  stats.RecordExecution(1, {}, std::chrono::nanoseconds(3), {});
  stats.RecordExecution(7, {}, std::chrono::nanoseconds(5), {});
  const auto s = stats.Snapshot();
  ASSERT_EQ(s.batch_stats.size(), 2u);
  EXPECT_EQ(s.batch_stats[0].batch_size, 1u);
  EXPECT_EQ(s.batch_stats[1].batch_size, 7u);
  EXPECT_EQ(s.batch_stats[1].compute_infer.count, 2u);
  EXPECT_EQ(s.inference_count, 15u);
  EXPECT_EQ(s.execution_count, 3u);
}

}  // namespace
}  // namespace inferd::scheduler
