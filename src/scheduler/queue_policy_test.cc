#include <gtest/gtest.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "scheduler/scheduler_factory.h"
#include "scheduler/test_util.h"
#include "testing/fake_backend.h"
#include "testing/fake_clock.h"

namespace inferd::scheduler {
namespace {

using backend::testing::FakeInstance;
using backend::testing::FakeInstanceOptions;
using backend::testing::Gate;
using testing::Collector;
using testing::FirstValue;
using testing::MakeRequest;
using testing::ParseConfig;

// One instance, held busy by a first request, so later requests wait in the queue while the
// test arranges their order, priorities and timeouts. Records the execution order.
class QueuePolicyTest : public ::testing::Test {
 protected:
  void Start(const std::string& batching) {
    FakeInstanceOptions o;
    o.gate = gate_;
    o.on_execute = [this](std::span<const core::Tensor> in) {
      absl::MutexLock lock(&mu_);
      executed_.push_back(FirstValue(in));
    };
    std::vector<std::unique_ptr<backend::Instance>> list;
    list.push_back(std::make_unique<FakeInstance>(o));
    auto created = CreateScheduler(
        ParseConfig("name: 'm' max_batch_size: 1 dynamic_batching { " + batching + " }"), 1,
        std::move(list), SchedulerContext{&clock_, nullptr});
    ASSERT_TRUE(created.ok()) << created.status();
    scheduler_ = std::move(created).value();
    Enqueue("hold", 0);
    gate_->AwaitWaiting(1);
  }
  void Enqueue(const std::string& id, int32_t value, uint64_t priority = 0,
               uint64_t timeout_us = 0) {
    auto request = MakeRequest(id, value);
    request->priority = priority;
    request->timeout_us = timeout_us;
    scheduler_->Enqueue(std::move(request), collector_.Callback(id));
  }
  std::vector<int32_t> Executed() {
    absl::MutexLock lock(&mu_);
    return executed_;
  }
  absl::StatusCode Code(const std::string& id) { return collector_.Result(id).status().code(); }

  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  inferd::testing::FakeClock clock_;
  Collector collector_;
  absl::Mutex mu_;
  std::vector<int32_t> executed_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(QueuePolicyTest, HigherPriorityRunsFirstAndZeroMeansDefaultLevel) {
  Start("priority_levels: 3 default_priority_level: 2");
  Enqueue("low", 3, 3);
  Enqueue("default", 2, 0);  // level 2
  Enqueue("beyond", 4, 9);   // out of range: level 2
  Enqueue("high", 1, 1);
  gate_->Open();
  collector_.AwaitCount(5);
  EXPECT_EQ(Executed(), (std::vector<int32_t>{0, 1, 2, 4, 3}));
}

TEST_F(QueuePolicyTest, FullQueueRejectsAtOnce) {
  Start("default_queue_policy { max_queue_size: 2 }");
  Enqueue("a", 1);
  Enqueue("b", 2);
  Enqueue("c", 3);  // completed on this thread, before Enqueue returns
  EXPECT_EQ(collector_.Order(), (std::vector<std::string>{"c"}));
  EXPECT_EQ(Code("c"), absl::StatusCode::kUnavailable);
  EXPECT_NE(collector_.Result("c").status().message().find("Exceeds maximum queue size"),
            std::string::npos);
  gate_->Open();
  collector_.AwaitCount(4);
}

// Admits() is what the HTTP front end asks before reading a body: it must say "full" exactly
// when an Enqueue would be refused, and "room" again once the queue drains.
TEST_F(QueuePolicyTest, AdmitsFollowsTheQueuesRoom) {
  Start("default_queue_policy { max_queue_size: 2 }");
  EXPECT_TRUE(scheduler_->Admits());
  Enqueue("a", 1);
  EXPECT_TRUE(scheduler_->Admits());
  Enqueue("b", 2);
  EXPECT_FALSE(scheduler_->Admits());
  gate_->Open();
  collector_.AwaitCount(3);  // "b" was popped (and Admits updated) before it ran
  EXPECT_TRUE(scheduler_->Admits());
  scheduler_->Shutdown();
  EXPECT_FALSE(scheduler_->Admits());
}

TEST_F(QueuePolicyTest, AdmitsWhileAnyLevelHasRoom) {
  // The head of an HTTP request does not carry its priority: refuse only when no level has room.
  Start(
      "priority_levels: 2 default_priority_level: 2 "
      "priority_queue_policy { key: 1 value { max_queue_size: 1 } } "
      "priority_queue_policy { key: 2 value { max_queue_size: 1 } }");
  Enqueue("h1", 1, 1);
  EXPECT_TRUE(scheduler_->Admits());
  Enqueue("l1", 2, 2);
  EXPECT_FALSE(scheduler_->Admits());
  gate_->Open();
  collector_.AwaitCount(3);
  EXPECT_TRUE(scheduler_->Admits());
}

TEST_F(QueuePolicyTest, UnboundedQueueAlwaysAdmits) {
  Start("");
  for (int i = 0; i < 5; ++i) Enqueue("r" + std::to_string(i), i);
  EXPECT_TRUE(scheduler_->Admits());
  gate_->Open();
  collector_.AwaitCount(6);
}

TEST_F(QueuePolicyTest, LevelsHaveTheirOwnLimits) {
  Start(
      "priority_levels: 2 default_priority_level: 2 "
      "priority_queue_policy { key: 1 value { max_queue_size: 1 } }");
  Enqueue("h1", 1, 1);
  Enqueue("h2", 2, 1);  // level 1 is full
  Enqueue("l1", 3, 2);  // level 2 is unbounded
  EXPECT_EQ(Code("h2"), absl::StatusCode::kUnavailable);
  gate_->Open();
  collector_.AwaitCount(4);
  EXPECT_TRUE(collector_.Result("l1").ok());
}

TEST_F(QueuePolicyTest, CancelledRequestsDoNotHoldCapacity) {
  Start("default_queue_policy { max_queue_size: 1 }");
  auto request = MakeRequest("cancel", 1);
  request->cancellation = std::make_shared<core::CancellationFlag>();
  auto token = request->cancellation;
  scheduler_->Enqueue(std::move(request), collector_.Callback("cancel"));
  token->Cancel();
  Enqueue("next", 2);  // fits: the cancelled request is purged from the full queue
  EXPECT_EQ(Code("cancel"), absl::StatusCode::kCancelled);
  gate_->Open();
  collector_.AwaitCount(3);
  EXPECT_TRUE(collector_.Result("next").ok());
  EXPECT_EQ(Executed(), (std::vector<int32_t>{0, 2}));
}

TEST_F(QueuePolicyTest, RejectTimesOutQueuedRequest) {
  Start("default_queue_policy { default_timeout_microseconds: 100 timeout_action: REJECT }");
  Enqueue("old", 1);
  clock_.Advance(std::chrono::microseconds(150));
  Enqueue("new", 2);  // enqueueing sweeps expired requests
  EXPECT_EQ(Code("old"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(collector_.Result("old").status().message(), "Request timeout expired");
  gate_->Open();
  collector_.AwaitCount(3);
  EXPECT_TRUE(collector_.Result("new").ok());
  EXPECT_EQ(Executed(), (std::vector<int32_t>{0, 2}));
}

TEST_F(QueuePolicyTest, DelayRunsTimedOutRequestAfterOthers) {
  Start("default_queue_policy { default_timeout_microseconds: 100 timeout_action: DELAY }");
  Enqueue("old", 1);
  clock_.Advance(std::chrono::microseconds(150));
  Enqueue("new", 2);
  gate_->Open();
  collector_.AwaitCount(3);
  EXPECT_TRUE(collector_.Result("old").ok());
  EXPECT_EQ(Executed(), (std::vector<int32_t>{0, 2, 1}));
}

TEST_F(QueuePolicyTest, RequestTimeoutShortensDefaultWhenOverrideAllowed) {
  Start("default_queue_policy { default_timeout_microseconds: 1000 allow_timeout_override: true }");
  Enqueue("short", 1, 0, 100);
  Enqueue("long", 2, 0, 5000);  // may not extend the default
  Enqueue("plain", 3);
  clock_.Advance(std::chrono::microseconds(150));
  Enqueue("sweep", 4);
  EXPECT_EQ(Code("short"), absl::StatusCode::kUnavailable);
  clock_.Advance(std::chrono::microseconds(1000));
  Enqueue("sweep2", 5);
  EXPECT_EQ(Code("long"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Code("plain"), absl::StatusCode::kUnavailable);
  gate_->Open();
  collector_.AwaitCount(6);
}

TEST_F(QueuePolicyTest, RequestTimeoutIgnoredWhenOverrideNotAllowed) {
  Start("default_queue_policy { default_timeout_microseconds: 1000 }");
  Enqueue("short", 1, 0, 100);
  clock_.Advance(std::chrono::microseconds(150));
  Enqueue("sweep", 2);
  gate_->Open();
  collector_.AwaitCount(3);
  EXPECT_TRUE(collector_.Result("short").ok());
}

TEST_F(QueuePolicyTest, RequestTimeoutIgnoredWithoutDefaultTimeout) {
  // Triton: an override can only shorten a configured timeout, never introduce one.
  Start("default_queue_policy { allow_timeout_override: true }");
  Enqueue("short", 1, 0, 100);
  clock_.Advance(std::chrono::microseconds(150));
  Enqueue("sweep", 2);
  gate_->Open();
  collector_.AwaitCount(3);
  EXPECT_TRUE(collector_.Result("short").ok());
}

}  // namespace
}  // namespace inferd::scheduler
