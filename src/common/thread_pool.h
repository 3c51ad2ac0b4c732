// ThreadPool: a fixed set of threads running posted tasks in FIFO order. Used where blocking work
// (model loads, large request decodes) must stay bounded and off the IO threads.
//
// Thread-safe. The destructor runs every task already posted, then joins; Post after the
// destructor has started runs the task on the caller's thread.
#pragma once

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace inferd {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  using Task = absl::AnyInvocable<void() &&>;
  void Post(Task task);

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<Task> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::jthread> threads_;
};

}  // namespace inferd
