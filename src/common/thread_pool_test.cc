#include "common/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>

namespace inferd {
namespace {

TEST(ThreadPool, RunsEveryPostedTaskBeforeDestruction) {
  std::atomic<int> ran{0};
  {
    ThreadPool pool(2);
    for (int i = 0; i < 100; ++i) pool.Post([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(ThreadPool, TasksRunConcurrentlyUpToThePoolSize) {
  ThreadPool pool(3);
  std::latch all_started(3);
  std::latch release(1);
  for (int i = 0; i < 3; ++i) {
    pool.Post([&] {
      all_started.count_down();
      release.wait();
    });
  }
  all_started.wait();  // would hang (test timeout) if the pool ran fewer than 3 at once
  release.count_down();
}

}  // namespace
}  // namespace inferd
