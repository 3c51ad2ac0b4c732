// The sequence batcher against an accumulator instance: OUT = ACC_IN + IN per row, ACC_OUT = OUT,
// and it records the START and CORRID values and the rows of every execution.
#include "scheduler/sequence_scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "scheduler/test_util.h"
#include "testing/fake_backend.h"
#include "testing/fake_clock.h"

namespace inferd::scheduler {
namespace {

using backend::testing::Gate;
using testing::Collector;
using ::testing::HasSubstr;

struct Observed {
  absl::Mutex mu;
  std::vector<int64_t> rows ABSL_GUARDED_BY(mu);
  std::vector<int32_t> starts ABSL_GUARDED_BY(mu);
  std::vector<uint64_t> corrids ABSL_GUARDED_BY(mu);
};

class AccumulatorInstance final : public backend::Instance {
 public:
  AccumulatorInstance(std::shared_ptr<Observed> observed, std::shared_ptr<Gate> gate)
      : observed_(std::move(observed)), gate_(std::move(gate)) {}
  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor> inputs,
                                              std::span<const std::string>) override {
    if (gate_) gate_->Wait();
    const core::Tensor* in = Find(inputs, "IN");
    const core::Tensor* acc = Find(inputs, "ACC_IN");
    const core::Tensor* start = Find(inputs, "START");
    const core::Tensor* corrid = Find(inputs, "CORRID");
    if (in == nullptr || acc == nullptr || start == nullptr || corrid == nullptr) {
      return absl::InternalError("a provided input is missing");
    }
    const int64_t rows = in->shape[0];
    auto out = core::MakeOwnedTensor("OUT", core::DataType::kInt32, {rows, 1},
                                     static_cast<size_t>(rows) * 4);
    {
      absl::MutexLock lock(&observed_->mu);
      observed_->rows.push_back(rows);
      for (int64_t r = 0; r < rows; ++r) {
        int32_t s = 0;
        uint64_t c = 0;
        std::memcpy(&s, start->data.data() + r * 4, 4);
        std::memcpy(&c, corrid->data.data() + r * 8, 8);
        observed_->starts.push_back(s);
        observed_->corrids.push_back(c);
      }
    }
    for (int64_t r = 0; r < rows; ++r) {
      int32_t a = 0;
      int32_t x = 0;
      std::memcpy(&a, acc->data.data() + r * 4, 4);
      std::memcpy(&x, in->data.data() + r * 4, 4);
      const int32_t sum = a + x;
      std::memcpy(out.writable.data() + r * 4, &sum, 4);
    }
    core::Tensor state = out.tensor;
    state.name = "ACC_OUT";
    return std::vector<core::Tensor>{std::move(out.tensor), std::move(state)};
  }

 private:
  static const core::Tensor* Find(std::span<const core::Tensor> inputs, const char* name) {
    for (const auto& t : inputs) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }
  std::shared_ptr<Observed> observed_;
  std::shared_ptr<Gate> gate_;
};

constexpr char kSequenceConfig[] = R"pb(
  control_input {
    name: "START"
    control {
      kind: CONTROL_SEQUENCE_START
      int32_false_true: [ 0, 1 ]
    }
  }
  control_input {
    name: "CORRID"
    control { kind: CONTROL_SEQUENCE_CORRID data_type: TYPE_UINT64 }
  }
  state {
    input_name: "ACC_IN"
    output_name: "ACC_OUT"
    data_type: TYPE_INT32
    dims: [ 1 ]
  }
)pb";

SequenceOptions Options(int64_t max_batch_size, bool oldest) {
  ::inference::ModelSequenceBatching batching;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(kSequenceConfig, &batching));
  SequenceOptions options;
  options.model_name = "acc";
  options.model_version = 1;
  options.max_batch_size = max_batch_size;
  options.oldest = oldest;
  options.controls = *core::ParseSequenceControls(batching);
  return options;
}

struct Harness {
  std::shared_ptr<Observed> observed = std::make_shared<Observed>();
  std::shared_ptr<Gate> gate;
  inferd::testing::FakeClock clock;
  std::unique_ptr<SequenceScheduler> scheduler;

  Harness(SequenceOptions options, int instances, bool gated = false) {
    if (gated) gate = std::make_shared<Gate>();
    std::vector<std::unique_ptr<backend::Instance>> list;
    for (int i = 0; i < instances; ++i) {
      list.push_back(std::make_unique<AccumulatorInstance>(observed, gate));
    }
    SchedulerContext context;
    context.clock = &clock;
    scheduler = std::make_unique<SequenceScheduler>(std::move(options), std::move(list), context);
  }
};

std::unique_ptr<core::InferenceRequest> SeqRequest(const std::string& id, int32_t value,
                                                   core::CorrelationId seq, bool start, bool end,
                                                   bool batched = true) {
  auto request = testing::MakeRequest(id, value, 1, 1);
  if (!batched) request->inputs[0].shape = {1};
  request->sequence_id = std::move(seq);
  request->sequence_start = start;
  request->sequence_end = end;
  return request;
}

int32_t Out(Collector& c, const std::string& id) {
  auto result = c.Result(id);
  EXPECT_TRUE(result.ok()) << id << ": " << result.status();
  if (!result.ok()) return INT32_MIN;
  EXPECT_EQ(result->outputs.size(), 1u) << "the state output must not be returned";
  return testing::Values(result->outputs.at(0)).at(0);
}

TEST(SequenceSchedulerTest, AccumulatesStatePerSequenceAndFeedsControls) {
  Harness h(Options(4, false), 1);
  Collector c;
  h.scheduler->Enqueue(SeqRequest("a1", 10, {5, ""}, true, false), c.Callback("a1"));
  h.scheduler->Enqueue(SeqRequest("b1", 100, {6, ""}, true, false), c.Callback("b1"));
  ASSERT_TRUE(c.AwaitCount(2));
  h.scheduler->Enqueue(SeqRequest("a2", 1, {5, ""}, false, false), c.Callback("a2"));
  h.scheduler->Enqueue(SeqRequest("b2", 2, {6, ""}, false, true), c.Callback("b2"));
  ASSERT_TRUE(c.AwaitCount(4));
  h.scheduler->Enqueue(SeqRequest("a3", 1, {5, ""}, false, true), c.Callback("a3"));
  ASSERT_TRUE(c.AwaitCount(5));
  EXPECT_EQ(Out(c, "a1"), 10);
  EXPECT_EQ(Out(c, "a2"), 11);
  EXPECT_EQ(Out(c, "a3"), 12);
  EXPECT_EQ(Out(c, "b1"), 100);
  EXPECT_EQ(Out(c, "b2"), 102);
  EXPECT_EQ(h.scheduler->ActiveSequences(), 0u);  // both ended
  // The CORRID control is UINT64: a string id cannot be carried.
  h.scheduler->Enqueue(SeqRequest("s", 1, {0, "text"}, true, false), c.Callback("s"));
  ASSERT_TRUE(c.AwaitCount(6));
  EXPECT_THAT(std::string(c.Result("s").status().message()), HasSubstr("is a string"));
  absl::MutexLock lock(&h.observed->mu);
  ASSERT_FALSE(h.observed->corrids.empty());
  EXPECT_EQ(h.observed->corrids.front(), 5u);
  EXPECT_EQ(h.observed->starts.front(), 1);
  EXPECT_EQ(h.observed->starts.back(), 0);
}

TEST(SequenceSchedulerTest, RefusesRequestsOutsideASequence) {
  Harness h(Options(4, false), 1);
  Collector c;
  h.scheduler->Enqueue(SeqRequest("none", 1, {}, false, false), c.Callback("none"));
  h.scheduler->Enqueue(SeqRequest("unknown", 1, {9, ""}, false, false), c.Callback("unknown"));
  auto wide = SeqRequest("wide", 1, {9, ""}, true, false);
  wide->inputs[0].shape = {2, 1};
  h.scheduler->Enqueue(std::move(wide), c.Callback("wide"));
  ASSERT_TRUE(c.AwaitCount(3));
  EXPECT_THAT(std::string(c.Result("none").status().message()),
              HasSubstr("must specify a non-zero or non-empty correlation ID"));
  EXPECT_THAT(std::string(c.Result("unknown").status().message()),
              HasSubstr("must specify the START flag"));
  EXPECT_THAT(std::string(c.Result("wide").status().message()), HasSubstr("batch size 1"));
  EXPECT_TRUE(absl::IsInvalidArgument(c.Result("unknown").status()));
  // After its END, a sequence is gone: a request without START is refused again.
  h.scheduler->Enqueue(SeqRequest("one", 1, {3, ""}, true, true), c.Callback("one"));
  ASSERT_TRUE(c.AwaitCount(4));
  h.scheduler->Enqueue(SeqRequest("after", 1, {3, ""}, false, false), c.Callback("after"));
  ASSERT_TRUE(c.AwaitCount(5));
  EXPECT_THAT(std::string(c.Result("after").status().message()), HasSubstr("START flag"));
}

TEST(SequenceSchedulerTest, DirectRefusesMoreSequencesThanSlots) {
  Harness h(Options(2, false), 1);  // one instance x 2 slots
  Collector c;
  for (int i = 1; i <= 3; ++i) {
    const std::string id = "s" + std::to_string(i);
    h.scheduler->Enqueue(SeqRequest(id, i, {static_cast<uint64_t>(i), ""}, true, false),
                         c.Callback(id));
  }
  ASSERT_TRUE(c.AwaitCount(3));
  EXPECT_TRUE(c.Result("s1").ok());
  EXPECT_TRUE(c.Result("s2").ok());
  EXPECT_TRUE(absl::IsUnavailable(c.Result("s3").status()));
  EXPECT_THAT(std::string(c.Result("s3").status().message()), HasSubstr("2 active sequences"));
  EXPECT_EQ(h.scheduler->capacity(), 2u);
  // Ending one frees its slot.
  h.scheduler->Enqueue(SeqRequest("s1end", 1, {1, ""}, false, true), c.Callback("s1end"));
  ASSERT_TRUE(c.AwaitCount(4));
  h.scheduler->Enqueue(SeqRequest("s3again", 3, {3, ""}, true, false), c.Callback("s3again"));
  ASSERT_TRUE(c.AwaitCount(5));
  EXPECT_EQ(Out(c, "s3again"), 3);
}

TEST(SequenceSchedulerTest, IdleSequencesAreReleased) {
  auto options = Options(2, false);
  options.max_idle = std::chrono::milliseconds(500);
  Harness h(std::move(options), 1);
  Collector c;
  const auto t0 = h.clock.Now();
  h.scheduler->Enqueue(SeqRequest("first", 4, {1, ""}, true, false), c.Callback("first"));
  ASSERT_TRUE(c.AwaitCount(1));
  EXPECT_EQ(h.scheduler->ActiveSequences(), 1u);
  // The worker waits for the idle deadline; passing it releases the sequence.
  h.clock.AwaitWaiter(t0 + std::chrono::milliseconds(500));
  h.clock.Advance(std::chrono::milliseconds(501));
  h.scheduler->Enqueue(SeqRequest("late", 1, {1, ""}, false, false), c.Callback("late"));
  ASSERT_TRUE(c.AwaitCount(2));
  EXPECT_THAT(std::string(c.Result("late").status().message()), HasSubstr("START flag"));
  EXPECT_EQ(h.scheduler->ActiveSequences(), 0u);
}

TEST(SequenceSchedulerTest, OldestBatchesDifferentSequencesOneRequestEach) {
  auto options = Options(4, true);
  options.max_queue_delay = std::chrono::milliseconds(10);
  Harness h(std::move(options), 1);
  Collector c;
  const auto t0 = h.clock.Now();
  // Two requests of sequence 1 and one of sequence 2: the first batch holds one of each.
  h.scheduler->Enqueue(SeqRequest("x1", 1, {1, ""}, true, false), c.Callback("x1"));
  h.scheduler->Enqueue(SeqRequest("x2", 2, {1, ""}, false, true), c.Callback("x2"));
  h.scheduler->Enqueue(SeqRequest("y1", 5, {2, ""}, true, true), c.Callback("y1"));
  h.clock.AwaitWaiter(t0 + std::chrono::milliseconds(10));
  h.clock.Advance(std::chrono::milliseconds(10));  // x2 has waited its delay too: sent at once
  ASSERT_TRUE(c.AwaitCount(3));
  EXPECT_EQ(Out(c, "x1"), 1);
  EXPECT_EQ(Out(c, "x2"), 3);
  EXPECT_EQ(Out(c, "y1"), 5);
  absl::MutexLock lock(&h.observed->mu);
  EXPECT_EQ(h.observed->rows, (std::vector<int64_t>{2, 1}));
}

TEST(SequenceSchedulerTest, RequestsOfOneSequenceRunInOrderAcrossInstances) {
  Harness h(Options(0, true), 2, /*gated=*/true);
  Collector c;
  for (int i = 0; i < 5; ++i) {
    const std::string id = "r" + std::to_string(i);
    h.scheduler->Enqueue(SeqRequest(id, 1, {8, ""}, i == 0, i == 4, false), c.Callback(id));
  }
  // Only one request of the sequence may run at a time, though two instances are free.
  ASSERT_TRUE(h.gate->AwaitWaitingFor(1, absl::Seconds(30)));
  EXPECT_FALSE(h.gate->AwaitWaitingFor(2, absl::Milliseconds(50)));
  h.gate->Open();
  ASSERT_TRUE(c.AwaitCount(5));
  EXPECT_EQ(c.Order(), (std::vector<std::string>{"r0", "r1", "r2", "r3", "r4"}));
  EXPECT_EQ(Out(c, "r4"), 5);
}

TEST(SequenceSchedulerTest, ShutdownRunsQueuedRequests) {
  Harness h(Options(0, false), 1, /*gated=*/true);
  Collector c;
  h.scheduler->Enqueue(SeqRequest("q0", 1, {1, ""}, true, false, false), c.Callback("q0"));
  h.scheduler->Enqueue(SeqRequest("q1", 1, {1, ""}, false, false, false), c.Callback("q1"));
  ASSERT_TRUE(h.gate->AwaitWaitingFor(1, absl::Seconds(30)));
  h.gate->Open();
  h.scheduler->Shutdown();
  ASSERT_TRUE(c.AwaitCount(2));
  EXPECT_EQ(Out(c, "q1"), 2);
  h.scheduler->Enqueue(SeqRequest("q2", 1, {1, ""}, false, false, false), c.Callback("q2"));
  ASSERT_TRUE(c.AwaitCount(3));
  EXPECT_TRUE(absl::IsUnavailable(c.Result("q2").status()));
}

}  // namespace
}  // namespace inferd::scheduler
