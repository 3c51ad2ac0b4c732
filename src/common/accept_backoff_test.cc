#include "common/accept_backoff.h"

#include <gtest/gtest.h>

namespace inferd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(AcceptBackoffTest, DelayDoublesUpToTheCapAndResetsOnSuccess) {
  AcceptBackoff backoff("HTTP");
  const auto now = std::chrono::steady_clock::time_point{} + seconds(100);
  std::vector<int64_t> delays;
  for (int i = 0; i < 6; ++i) delays.push_back(backoff.OnFailure("e", now).delay.count());
  EXPECT_EQ(delays, (std::vector<int64_t>{10, 20, 40, 80, 100, 100}));
  backoff.OnSuccess();
  EXPECT_EQ(backoff.OnFailure("e", now).delay, milliseconds(10));
}

TEST(AcceptBackoffTest, LogsOncePerIntervalWithTheFailureCount) {
  AcceptBackoff backoff("metrics");
  const auto start = std::chrono::steady_clock::time_point{} + seconds(100);
  auto first = backoff.OnFailure("Too many open files", start);
  ASSERT_TRUE(first.log_line.has_value());
  EXPECT_NE(first.log_line->find("metrics listener: accept failed: Too many open files (1 failure"),
            std::string::npos)
      << *first.log_line;
  for (int i = 1; i < 500; ++i) {
    EXPECT_FALSE(backoff.OnFailure("Too many open files", start + milliseconds(i * 10)).log_line);
  }
  auto next = backoff.OnFailure("Too many open files", start + seconds(10));
  ASSERT_TRUE(next.log_line.has_value());
  EXPECT_NE(next.log_line->find("(500 failures since the last report"), std::string::npos)
      << *next.log_line;
}

}  // namespace
}  // namespace inferd
