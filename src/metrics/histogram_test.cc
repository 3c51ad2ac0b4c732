#include "metrics/histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace inferd::metrics {
namespace {

TEST(HistogramTest, BoundsAreInclusiveAndTheLastBucketIsOpen) {
  Histogram h({1, 5, 10});
  for (double v : {0.5, 1.0, 1.5, 5.0, 10.0, 10.5, 1000.0}) h.Observe(v);
  const HistogramValue v = h.Snapshot();
  EXPECT_EQ(v.counts, (std::vector<uint64_t>{2, 2, 1, 2}));
  EXPECT_EQ(v.Count(), 7u);
  EXPECT_DOUBLE_EQ(v.sum, 0.5 + 1 + 1.5 + 5 + 10 + 10.5 + 1000);
}

TEST(HistogramTest, ConcurrentObservationsAreAllCounted) {
  Histogram h({10, 100});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 10000; ++i) h.Observe(i % 200);
    });
  }
  for (auto& t : threads) t.join();
  const HistogramValue v = h.Snapshot();
  EXPECT_EQ(v.Count(), 40000u);
  EXPECT_EQ(v.counts[0], 4u * 50 * 11);  // 0..10 of every 200
}

TEST(HistogramTest, ParseBoundsValidates) {
  auto ok = ParseBounds("100, 250,500");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<double>{100, 250, 500}));
  EXPECT_FALSE(ParseBounds("1,1").ok());
  EXPECT_FALSE(ParseBounds("5,2").ok());
  EXPECT_FALSE(ParseBounds("1,x").ok());
  EXPECT_FALSE(ParseBounds("1,inf").ok());
  EXPECT_FALSE(ParseBounds("1,,2").ok());
}

}  // namespace
}  // namespace inferd::metrics
