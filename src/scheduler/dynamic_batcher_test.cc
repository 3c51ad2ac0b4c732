#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

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
using testing::Values;

class DynamicBatcherTest : public ::testing::Test {
 protected:
  void Start(const std::string& config_text, int instances = 1, FakeInstanceOptions o = {}) {
    std::vector<std::unique_ptr<backend::Instance>> list;
    for (int i = 0; i < instances; ++i) {
      auto instance = std::make_unique<FakeInstance>(o);
      fakes_.push_back(instance.get());
      list.push_back(std::move(instance));
    }
    auto created = CreateScheduler(ParseConfig("name: 'm' " + config_text), 1, std::move(list),
                                   SchedulerContext{&clock_, stats_});
    ASSERT_TRUE(created.ok()) << created.status();
    scheduler_ = std::move(created).value();
  }
  void Enqueue(const std::string& id, int32_t first, int64_t rows = 1, int64_t cols = 2) {
    scheduler_->Enqueue(MakeRequest(id, first, rows, cols), collector_.Callback(id));
  }
  std::vector<int64_t> BatchSizes() {
    std::vector<int64_t> all;
    for (auto* f : fakes_) {
      auto b = f->batch_sizes();
      all.insert(all.end(), b.begin(), b.end());
    }
    return all;
  }

  inferd::testing::FakeClock clock_;
  std::shared_ptr<StatsRecorder> stats_ = std::make_shared<StatsRecorder>("m", 1, 8);
  std::vector<FakeInstance*> fakes_;
  Collector collector_;
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(DynamicBatcherTest, EachResponseGetsItsOwnSlice) {
  auto gate = std::make_shared<Gate>();
  Start("max_batch_size: 8 dynamic_batching {}", 1, {.gate = gate});
  Enqueue("hold", 1000);
  gate->AwaitWaiting(1);  // the instance is busy; the next requests queue up
  Enqueue("a", 0);
  Enqueue("b", 10, 3);  // three rows
  Enqueue("c", 100);
  gate->Open();
  collector_.AwaitCount(4);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{1, 5}));
  auto a = collector_.Result("a");
  auto b = collector_.Result("b");
  auto c = collector_.Result("c");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(Values(a->outputs[0]), (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(b->outputs[0].shape, (core::Shape{3, 2}));
  EXPECT_EQ(Values(b->outputs[0]), (std::vector<int32_t>{21, 23, 25, 27, 29, 31}));
  EXPECT_EQ(Values(c->outputs[0]), (std::vector<int32_t>{201, 203}));
  EXPECT_EQ(c->id, "c");
  // Zero-copy: every slice shares the batch output's buffer.
  EXPECT_EQ(a->outputs[0].owner, c->outputs[0].owner);
}

TEST_F(DynamicBatcherTest, WaitsForMaxQueueDelayThenSends) {
  Start("max_batch_size: 8 dynamic_batching { max_queue_delay_microseconds: 100 }");
  const auto t0 = clock_.Now();
  Enqueue("a", 0);
  Enqueue("b", 10);
  clock_.AwaitWaiter(t0 + std::chrono::microseconds(100));  // the batcher chose to wait
  EXPECT_EQ(fakes_[0]->executions(), 0);
  clock_.Advance(std::chrono::microseconds(99));
  clock_.AwaitWaiter(t0 + std::chrono::microseconds(100));  // still waiting after 99us
  EXPECT_EQ(fakes_[0]->executions(), 0);
  clock_.Advance(std::chrono::microseconds(1));
  collector_.AwaitCount(2);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{2}));
}

TEST_F(DynamicBatcherTest, FullBatchDoesNotWait) {
  Start("max_batch_size: 4 dynamic_batching { max_queue_delay_microseconds: 1000000 }");
  Enqueue("a", 0, 2);
  Enqueue("b", 10, 2);
  collector_.AwaitCount(2);  // no clock advance: a full batch never waits
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{4}));
}

TEST_F(DynamicBatcherTest, LargestPreferredSizeSendsAtOnce) {
  Start(
      "max_batch_size: 8 dynamic_batching { preferred_batch_size: [2, 3] "
      "max_queue_delay_microseconds: 1000000 }");
  Enqueue("a", 0);
  Enqueue("b", 10);
  Enqueue("c", 20);
  collector_.AwaitCount(3);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{3}));
}

TEST_F(DynamicBatcherTest, AfterDelaySendsLargestPreferredSizeReached) {
  Start(
      "max_batch_size: 8 dynamic_batching { preferred_batch_size: [2, 4] "
      "max_queue_delay_microseconds: 100 }");
  const auto t0 = clock_.Now();
  Enqueue("a", 0);
  Enqueue("b", 10);
  Enqueue("c", 20);
  clock_.AwaitWaiter(t0 + std::chrono::microseconds(100));
  EXPECT_EQ(fakes_[0]->executions(), 0);
  clock_.Advance(std::chrono::microseconds(100));
  collector_.AwaitCount(3);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{2, 1}));
}

TEST_F(DynamicBatcherTest, RowsCountTowardsMaxBatchSize) {
  auto gate = std::make_shared<Gate>();
  Start("max_batch_size: 4 dynamic_batching {}", 1, {.gate = gate});
  Enqueue("hold", 1000);
  gate->AwaitWaiting(1);
  Enqueue("a", 0, 3);
  Enqueue("b", 10, 2);  // 3 + 2 > 4: must not join
  gate->Open();
  collector_.AwaitCount(3);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{1, 3, 2}));
}

TEST_F(DynamicBatcherTest, DifferentShapesOrOutputsStayApart) {
  auto gate = std::make_shared<Gate>();
  Start("max_batch_size: 8 dynamic_batching {}", 1, {.gate = gate});
  Enqueue("hold", 1000);
  gate->AwaitWaiting(1);
  Enqueue("a", 0, 1, 2);
  Enqueue("b", 10, 1, 3);  // other non-batch shape
  auto c = MakeRequest("c", 20, 1, 3);
  c->requested_outputs = {"OUT0"};  // other requested outputs
  scheduler_->Enqueue(std::move(c), collector_.Callback("c"));
  gate->Open();
  collector_.AwaitCount(4);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(Values(collector_.Result("b")->outputs[0]), (std::vector<int32_t>{21, 23, 25}));
}

TEST_F(DynamicBatcherTest, BatchOfOneRunsOnTheRequestsOwnBuffer) {
  Start("max_batch_size: 8 dynamic_batching {}");
  auto request = MakeRequest("a", 5);
  const std::byte* own = request->inputs[0].data.data();
  scheduler_->Enqueue(std::move(request), collector_.Callback("a"));
  collector_.AwaitCount(1);
  ASSERT_EQ(fakes_[0]->last_input_data().size(), 1u);
  EXPECT_EQ(fakes_[0]->last_input_data()[0], own);
}

TEST_F(DynamicBatcherTest, InstancesRunInParallel) {
  auto gate = std::make_shared<Gate>();
  Start("max_batch_size: 1 dynamic_batching {}", 3, {.gate = gate});
  for (int i = 0; i < 3; ++i) Enqueue("r" + std::to_string(i), i * 10);
  const bool all_three = gate->AwaitWaitingFor(3, absl::Seconds(10));
  gate->Open();  // before asserting: blocked executions would keep the scheduler from stopping
  ASSERT_TRUE(all_three) << "the three instances did not execute at once";
  ASSERT_TRUE(collector_.AwaitCount(3));
}

TEST_F(DynamicBatcherTest, PreserveOrderingHoldsLaterBatchUntilEarlierOneCompletes) {
  auto slow = std::make_shared<Gate>();
  FakeInstanceOptions o;
  o.on_execute = [slow](std::span<const core::Tensor> in) {
    if (FirstValue(in) == 100) slow->Wait();
  };
  Start("max_batch_size: 1 dynamic_batching { preserve_ordering: true }", 2, o);
  Enqueue("first", 100);
  slow->AwaitWaiting(1);
  Enqueue("second", 200);
  while (stats_->Snapshot().execution_count < 1) std::this_thread::yield();  // second ran
  EXPECT_TRUE(collector_.Order().empty());
  slow->Open();
  collector_.AwaitCount(2);
  EXPECT_EQ(collector_.Order(), (std::vector<std::string>{"first", "second"}));
}

TEST_F(DynamicBatcherTest, CancelledRequestNeverReachesTheBackend) {
  auto gate = std::make_shared<Gate>();
  Start("max_batch_size: 8 dynamic_batching {}", 1, {.gate = gate});
  Enqueue("hold", 1000);
  gate->AwaitWaiting(1);
  auto request = MakeRequest("cancel", 0);
  request->cancellation = std::make_shared<core::CancellationFlag>();
  auto token = request->cancellation;
  scheduler_->Enqueue(std::move(request), collector_.Callback("cancel"));
  Enqueue("keep", 10);
  token->Cancel();
  gate->Open();
  collector_.AwaitCount(3);
  EXPECT_EQ(collector_.Result("cancel").status().code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(collector_.Result("keep").ok());
  EXPECT_EQ(fakes_[0]->executions(), 2);
  EXPECT_EQ(BatchSizes(), (std::vector<int64_t>{1, 1}));
}

TEST_F(DynamicBatcherTest, ShutdownRunsQueuedRequestsWithoutWaitingForTheDelay) {
  Start("max_batch_size: 8 dynamic_batching { max_queue_delay_microseconds: 1000000 }");
  for (int i = 0; i < 3; ++i) Enqueue("r" + std::to_string(i), i * 10);
  scheduler_->Shutdown();
  EXPECT_EQ(collector_.Order().size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(collector_.Result("r" + std::to_string(i)).ok());
  Enqueue("late", 0);
  EXPECT_EQ(collector_.Result("late").status().code(), absl::StatusCode::kUnavailable);
}

TEST(DynamicBatcherStressTest, EveryRequestCompletesExactlyOnce) {
  std::vector<std::unique_ptr<backend::Instance>> instances;
  for (int i = 0; i < 4; ++i) instances.push_back(std::make_unique<FakeInstance>());
  auto config = ParseConfig(
      "name: 'm' max_batch_size: 4 dynamic_batching { max_queue_delay_microseconds: 50 "
      "preserve_ordering: true default_queue_policy { max_queue_size: 64 } }");
  auto scheduler = CreateScheduler(config, 1, std::move(instances), {});
  ASSERT_TRUE(scheduler.ok());
  Collector collector;
  constexpr int kThreads = 8, kPerThread = 300;
  std::vector<std::jthread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<uint32_t>(t));
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = std::to_string(t) + "/" + std::to_string(i);
        auto request = MakeRequest(id, t * 100000 + i * 10);
        request->cancellation = std::make_shared<core::CancellationFlag>();
        auto token = request->cancellation;
        (*scheduler)->Enqueue(std::move(request), collector.Callback(id));
        if (rng() % 4 == 0) token->Cancel();
      }
    });
  }
  threads.clear();
  (*scheduler)->Shutdown();
  auto calls = collector.Calls();
  ASSERT_EQ(calls.size(), static_cast<size_t>(kThreads * kPerThread));
  for (const auto& [id, n] : calls) EXPECT_EQ(n, 1) << id;
  for (int t = 0; t < kThreads; ++t) {
    const std::string id = std::to_string(t) + "/7";
    auto r = collector.Result(id);
    if (r.ok()) {
      EXPECT_EQ(Values(r->outputs[0])[0], (t * 100000 + 70) * 2 + 1);
    }
  }
}

}  // namespace
}  // namespace inferd::scheduler
