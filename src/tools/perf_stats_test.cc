#include "tools/perf_stats.h"

#include <gtest/gtest.h>

namespace inferd::tools {
namespace {

Window MakeWindow(double seconds, int requests, int64_t latency_ns) {
  Window w;
  w.seconds = seconds;
  for (int i = 0; i < requests; ++i) w.records.push_back({latency_ns, true});
  return w;
}

TEST(PerfStatsTest, PercentileIsNearestRank) {
  std::vector<int64_t> v{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  EXPECT_EQ(Percentile(v, 50), 50);
  EXPECT_EQ(Percentile(v, 95), 100);
  EXPECT_EQ(Percentile(v, 1), 10);
  EXPECT_EQ(Percentile({}, 50), 0);
}

TEST(PerfStatsTest, StableOnlyWhenThreeWindowsAgreeWithinTolerance) {
  std::deque<Window> windows{MakeWindow(1, 100, 1000), MakeWindow(1, 105, 1000)};
  EXPECT_FALSE(IsStable(windows, 0, 0.1));  // two windows are not enough
  windows.push_back(MakeWindow(1, 95, 1050));
  EXPECT_TRUE(IsStable(windows, 0, 0.1));
  windows.push_back(MakeWindow(1, 140, 1000));  // throughput jumps
  EXPECT_FALSE(IsStable(windows, 0, 0.1));
  std::deque<Window> slow{MakeWindow(1, 100, 1000), MakeWindow(1, 100, 1000),
                          MakeWindow(1, 100, 1500)};  // latency differs
  EXPECT_FALSE(IsStable(slow, 0, 0.1));
  EXPECT_TRUE(IsStable(slow, 0, 0.5));
  // p99 stability looks at the tail: two slow requests move p99, the average by < 10%.
  std::deque<Window> tail{MakeWindow(1, 100, 1000), MakeWindow(1, 100, 1000),
                          MakeWindow(1, 100, 1000)};
  tail[2].records[0].latency_ns = 5000;
  tail[2].records[1].latency_ns = 5000;
  EXPECT_TRUE(IsStable(tail, 0, 0.1));
  EXPECT_FALSE(IsStable(tail, 99, 0.1));
  EXPECT_TRUE(IsStable(tail, 50, 0.1));
}

TEST(PerfStatsTest, SummarizeMergesWindowsAndSplitsServerTime) {
  std::deque<Window> windows{MakeWindow(2, 100, 2'000'000), MakeWindow(2, 100, 4'000'000)};
  windows[0].records.push_back({1, false});
  windows[0].cpu_seconds = 0.002;
  for (auto& w : windows) {
    w.server.success = {100, 100 * 1'500'000};
    w.server.queue = {100, 100 * 500'000};
    w.server.compute_infer = {100, 100 * 900'000};
    w.server.inference_count = 200;
    w.server.execution_count = 50;
  }
  const StepResult s = Summarize(windows, /*batch=*/2);
  EXPECT_EQ(s.requests, 201);
  EXPECT_EQ(s.errors, 1);
  EXPECT_DOUBLE_EQ(s.throughput, 200.0 * 2 / 4);
  EXPECT_DOUBLE_EQ(s.avg_us, 3000);
  EXPECT_DOUBLE_EQ(s.p50_us, 2000);
  EXPECT_DOUBLE_EQ(s.p99_us, 4000);
  EXPECT_DOUBLE_EQ(s.server_request_us, 1500);
  EXPECT_DOUBLE_EQ(s.queue_us, 500);
  EXPECT_DOUBLE_EQ(s.compute_infer_us, 900);
  EXPECT_EQ(s.server_inferences, 400u);
  EXPECT_EQ(s.server_executions, 100u);
  EXPECT_NEAR(s.cpu_us_per_request, 2000.0 / 201, 1e-9);
}

TEST(PerfStatsTest, AddAndSubtractStatistics) {
  client::ModelStatistics a, b;
  a.inference_count = 10;
  a.queue = {3, 300};
  b.inference_count = 4;
  b.queue = {1, 100};
  EXPECT_EQ(Subtract(a, b).inference_count, 6u);
  EXPECT_EQ(Add(a, b).queue.ns, 400u);
}

}  // namespace
}  // namespace inferd::tools
