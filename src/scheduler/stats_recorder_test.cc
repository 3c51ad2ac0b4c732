#include "scheduler/stats_recorder.h"

#include <gtest/gtest.h>

#include "metrics/histogram.h"
#include "scheduler/scheduler_factory.h"
#include "scheduler/test_util.h"
#include "testing/fake_backend.h"
#include "testing/fake_clock.h"

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
  EXPECT_EQ(s.failures[static_cast<size_t>(core::FailureReason::kCanceled)], 1u);
  EXPECT_EQ(s.failures[static_cast<size_t>(core::FailureReason::kRejected)], 0u);
  EXPECT_EQ(s.pending_request_count, 0);
  // Default latency bounds start at 100 us (inclusive): both requests queued exactly 100 us and
  // computed 50 us; the one batch had 3 rows (bucket le=4).
  EXPECT_EQ(s.histograms.queue_us.counts[0], 2u);
  EXPECT_DOUBLE_EQ(s.histograms.queue_us.sum, 200.0);
  EXPECT_EQ(s.histograms.compute_us.counts[0], 2u);
  uint64_t requests = 0;
  for (uint64_t c : s.histograms.request_us.counts) requests += c;
  EXPECT_EQ(requests, 2u);
  EXPECT_EQ(s.histograms.batch_size.counts, (std::vector<uint64_t>{0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(StatsRecorderTest, CountsFailuresByReason) {
  StatsRecorder stats("m", 1, 0);
  stats.RecordFailure(std::chrono::microseconds(5), core::FailureReason::kRejected);
  stats.RecordFailure(std::chrono::microseconds(5), core::FailureReason::kRejected);
  stats.RecordFailure(std::chrono::microseconds(5), core::FailureReason::kBackend);
  stats.RecordFailure(std::chrono::microseconds(5), core::FailureReason::kOther);
  stats.SetPending(3);
  const auto s = stats.Snapshot();
  EXPECT_EQ(s.failures, (std::array<uint64_t, core::kFailureReasonCount>{2, 0, 1, 1}));
  EXPECT_EQ(s.inference_stats.fail.count, 4u);
  EXPECT_EQ(s.pending_request_count, 3);
}

// With metrics off nothing reads the histograms, so they are not recorded; the statistics
// extension's counters are.
TEST(StatsRecorderTest, MetricsOffSkipsHistogramsButKeepsStatistics) {
  metrics::BucketConfig off;
  off.record = false;
  StatsRecorder stats("m", 1, 4, off);
  stats.RecordSuccess(microseconds(90), microseconds(10), microseconds(1), microseconds(70),
                      microseconds(2));
  stats.RecordExecution(2, microseconds(1), microseconds(70), microseconds(2));
  const auto s = stats.Snapshot();
  EXPECT_EQ(s.inference_stats.success.count, 1u);
  EXPECT_EQ(s.inference_count, 2u);
  uint64_t observed = 0;
  for (const auto* h : {&s.histograms.request_us, &s.histograms.queue_us, &s.histograms.compute_us,
                        &s.histograms.batch_size}) {
    for (uint64_t c : h->counts) observed += c;
  }
  EXPECT_EQ(observed, 0u);
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
