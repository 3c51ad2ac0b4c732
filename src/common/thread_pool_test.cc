#include "common/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

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
  absl::Mutex mu;
  int running = 0;
  absl::Notification release;
  ThreadPool pool(3);  // declared last: destroyed (joined) before what its tasks use
  for (int i = 0; i < 3; ++i) {
    pool.Post([&] {
      {
        absl::MutexLock lock(&mu);
        ++running;
      }
      release.WaitForNotification();
    });
  }
  bool all_running = false;
  {
    absl::MutexLock lock(&mu);
    all_running = mu.AwaitWithTimeout(absl::Condition(
                                          +[](int* n) { return *n == 3; }, &running),
                                      absl::Seconds(10));
  }
  release.Notify();  // before asserting: the pool's destructor waits for its tasks
  EXPECT_TRUE(all_running) << "fewer than 3 tasks ran at once";
}

}  // namespace
}  // namespace inferd
