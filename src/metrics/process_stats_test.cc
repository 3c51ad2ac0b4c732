#include "metrics/process_stats.h"

#include <gtest/gtest.h>

namespace inferd::metrics {
namespace {

TEST(ProcessStatsTest, ParsesMemInfo) {
  auto m = ParseMemInfo("MemTotal:       16000 kB\nMemFree:   100 kB\nMemAvailable:    4000 kB\n");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->total_bytes, 16000u * 1024);
  EXPECT_EQ(m->used_bytes, 12000u * 1024);
  EXPECT_FALSE(ParseMemInfo("MemTotal: 1 kB\n").ok());
}

TEST(ProcessStatsTest, ParsesCpuTimesCountingIowaitAsIdle) {
  auto t = ParseCpuTimes("cpu  10 2 3 80 5 0 0 0 0 0\ncpu0 1 1 1 1 1\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->total, 100u);
  EXPECT_EQ(t->busy, 15u);
  EXPECT_FALSE(ParseCpuTimes("intr 1 2 3\n").ok());
}

TEST(ProcessStatsTest, ReadsThisProcessAndHost) {
  auto rss = ReadResidentBytes();
  ASSERT_TRUE(rss.ok()) << rss.status();
  EXPECT_GT(*rss, 0u);
  auto mem = ReadMemInfo();
  ASSERT_TRUE(mem.ok()) << mem.status();
  EXPECT_GT(mem->total_bytes, mem->used_bytes);
  CpuUtilization cpu;
  auto u = cpu.Sample();
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_GE(*u, 0.0);
  EXPECT_LE(*u, 1.0);
}

}  // namespace
}  // namespace inferd::metrics
