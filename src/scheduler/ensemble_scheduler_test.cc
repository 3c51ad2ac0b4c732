// The ensemble scheduler over fake step schedulers: dataflow order, tensors handed on without a
// copy, a failing step named, cancellation between steps, the load-time checks against the
// steps' configs, and the ensemble's own statistics.
#include "scheduler/ensemble_scheduler.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <map>
#include <vector>

#include "core/ensemble_graph.h"

namespace inferd::scheduler {
namespace {

using ::testing::HasSubstr;

::inference::ModelConfig EnsTestConfig(const std::string& text) {
  ::inference::ModelConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
  return config;
}

std::vector<float> EnsFloats(const core::Tensor& t) {
  std::vector<float> out(t.data.size() / sizeof(float));
  std::memcpy(out.data(), t.data.data(), t.data.size());
  return out;
}

core::Tensor EnsFloatTensor(const std::string& name, const std::vector<float>& values) {
  auto owned =
      core::MakeOwnedTensor(name, core::DataType::kFp32, {static_cast<int64_t>(values.size())},
                            values.size() * sizeof(float));
  std::memcpy(owned.writable.data(), values.data(), values.size() * sizeof(float));
  return owned.tensor;
}

// A step model: runs `fn` on the caller's thread and answers at once.
class FnScheduler : public Scheduler {
 public:
  using Fn = std::function<StatusOr<float>(const core::InferenceRequest&)>;
  FnScheduler(std::string name, Fn fn) : name_(std::move(name)), fn_(std::move(fn)) {}
  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override {
    ++calls;
    seen.push_back(request->inputs.front().data.data());
    auto add = fn_(*request);
    if (!add.ok()) return std::move(done)(add.status());
    std::vector<float> values = EnsFloats(request->inputs.front());
    for (auto& v : values) v += *add;
    core::InferenceResponse response{name_, 1, request->id, {EnsFloatTensor("Y", values)}};
    produced.push_back(response.outputs.front().data.data());
    std::move(done)(std::move(response));
  }
  void Shutdown() override {}
  int calls = 0;
  std::vector<const std::byte*> seen;      // the data pointer of each request's input
  std::vector<const std::byte*> produced;  // the data pointer of each answer's output

 private:
  std::string name_;
  Fn fn_;
};

class FakeSteps : public StepResolver {
 public:
  void Add(const std::string& name, std::shared_ptr<FnScheduler> scheduler,
           const std::string& type = "TYPE_FP32") {
    auto config = std::make_shared<::inference::ModelConfig>(
        EnsTestConfig("name: \"" + name + "\" input { name: \"X\" data_type: " + type +
                      " dims: [ 4 ] } output { name: \"Y\" data_type: " + type + " dims: [ 4 ] }"));
    models_[name] = {1, config, std::move(scheduler), nullptr};
  }
  StatusOr<StepTarget> ResolveStep(std::string_view model, int64_t) const override {
    auto it = models_.find(std::string(model));
    if (it == models_.end()) {
      return absl::NotFoundError(
          absl::StrCat("Request for unknown model: '", std::string(model), "'"));
    }
    return it->second;
  }

 private:
  std::map<std::string, StepTarget> models_;
};

constexpr char kEnsChain[] = R"(name: "chain" platform: "ensemble"
  input { name: "IN" data_type: TYPE_FP32 dims: [ 4 ] }
  output { name: "OUT" data_type: TYPE_FP32 dims: [ 4 ] }
  ensemble_scheduling {
    step { model_name: "second" model_version: -1 input_map { key: "X" value: "mid" }
           output_map { key: "Y" value: "OUT" } }
    step { model_name: "first" model_version: -1 input_map { key: "X" value: "IN" }
           output_map { key: "Y" value: "mid" } } })";

class EnsembleSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    steps_->Add("first", first_);
    steps_->Add("second", second_);
  }
  std::unique_ptr<EnsembleScheduler> Make(const ::inference::ModelConfig& config) {
    auto graph = core::BuildEnsembleGraph(config);
    EXPECT_TRUE(graph.ok()) << graph.status();
    EXPECT_TRUE(CheckEnsembleSteps(config, *graph, *steps_).ok());
    return std::make_unique<EnsembleScheduler>(config, 1, *graph, steps_, stats_);
  }
  StatusOr<core::InferenceResponse> Infer(EnsembleScheduler& scheduler,
                                          core::CancellationToken cancel = nullptr) {
    auto request = std::make_unique<core::InferenceRequest>();
    request->model_name = "chain";
    request->inputs.push_back(EnsFloatTensor("IN", {1, 2, 3, 4}));
    request->cancellation = std::move(cancel);
    StatusOr<core::InferenceResponse> answer = absl::UnknownError("no answer");
    scheduler.Enqueue(std::move(request),
                      [&](StatusOr<core::InferenceResponse> r) { answer = std::move(r); });
    return answer;
  }

  std::shared_ptr<FnScheduler> first_ =
      std::make_shared<FnScheduler>("first", [](const auto&) { return 1.0f; });
  std::shared_ptr<FnScheduler> second_ =
      std::make_shared<FnScheduler>("second", [](const auto&) { return 10.0f; });
  std::shared_ptr<FakeSteps> steps_ = std::make_shared<FakeSteps>();
  std::shared_ptr<StatsRecorder> stats_ = std::make_shared<StatsRecorder>("chain", 1, 0);
};

TEST_F(EnsembleSchedulerTest, RunsStepsInDataOrderAndHandsTensorsOnWithoutCopy) {
  auto scheduler = Make(EnsTestConfig(kEnsChain));
  auto answer = Infer(*scheduler);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->model_name, "chain");
  ASSERT_EQ(answer->outputs.size(), 1u);
  EXPECT_EQ(answer->outputs[0].name, "OUT");
  EXPECT_THAT(EnsFloats(answer->outputs[0]), ::testing::ElementsAre(12, 13, 14, 15));
  EXPECT_EQ(first_->calls, 1);
  EXPECT_EQ(second_->calls, 1);
  // The second step read the very bytes the first step's output owns, and the answer is the
  // second step's own output tensor.
  ASSERT_EQ(second_->seen.size(), 1u);
  EXPECT_EQ(second_->seen[0], first_->produced[0]);
  EXPECT_EQ(answer->outputs[0].data.data(), second_->produced[0]);
  const auto stats = stats_->Snapshot();
  EXPECT_EQ(stats.inference_stats.success.count, 1u);
}

TEST_F(EnsembleSchedulerTest, AFailingStepFailsTheRequestNamingTheStep) {
  auto failing = std::make_shared<FnScheduler>(
      "second", [](const auto&) -> StatusOr<float> { return absl::InternalError("boom"); });
  steps_->Add("second", failing);
  auto scheduler = Make(EnsTestConfig(kEnsChain));
  auto answer = Infer(*scheduler);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(answer.status().message(), HasSubstr("ensemble 'chain' step 1 (model 'second')"));
  EXPECT_THAT(answer.status().message(), HasSubstr("boom"));
  EXPECT_EQ(stats_->Snapshot().inference_stats.fail.count, 1u);
}

TEST_F(EnsembleSchedulerTest, ACancelledRequestStopsBetweenSteps) {
  auto cancel = std::make_shared<core::CancellationFlag>();
  auto cancelling = std::make_shared<FnScheduler>("first", [cancel](const auto&) {
    cancel->Cancel();  // the client goes away while the first step runs
    return 1.0f;
  });
  steps_->Add("first", cancelling);
  auto scheduler = Make(EnsTestConfig(kEnsChain));
  auto answer = Infer(*scheduler, cancel);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(second_->calls, 0);
}

TEST_F(EnsembleSchedulerTest, TheTimeoutLeftGoesWithEachStep) {
  std::vector<uint64_t> timeouts;
  auto recording = std::make_shared<FnScheduler>("first", [&](const auto& request) {
    timeouts.push_back(request.timeout_us);
    return 1.0f;
  });
  steps_->Add("first", recording);
  auto scheduler = Make(EnsTestConfig(kEnsChain));
  auto request = std::make_unique<core::InferenceRequest>();
  request->inputs.push_back(EnsFloatTensor("IN", {1, 2, 3, 4}));
  request->timeout_us = 60'000'000;
  StatusOr<core::InferenceResponse> answer = absl::UnknownError("no answer");
  scheduler->Enqueue(std::move(request),
                     [&](StatusOr<core::InferenceResponse> r) { answer = std::move(r); });
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_GT(timeouts[0], 0u);
  EXPECT_LE(timeouts[0], 60'000'000u);

  // A request whose timeout passed before a step could start fails there, naming the step.
  auto late = std::make_unique<core::InferenceRequest>();
  late->inputs.push_back(EnsFloatTensor("IN", {1, 2, 3, 4}));
  late->timeout_us = 1000;
  late->received = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  scheduler->Enqueue(std::move(late),
                     [&](StatusOr<core::InferenceResponse> r) { answer = std::move(r); });
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(answer.status().message(), HasSubstr("step 2 (model 'first')"));
  EXPECT_EQ(timeouts.size(), 1u);
}

TEST_F(EnsembleSchedulerTest, AStepThatDisappearsFailsItsRequests) {
  auto scheduler = Make(EnsTestConfig(kEnsChain));
  auto other = std::make_shared<FakeSteps>();
  other->Add("first", first_);
  auto graph = core::BuildEnsembleGraph(EnsTestConfig(kEnsChain));
  ASSERT_TRUE(graph.ok());
  EnsembleScheduler partial(EnsTestConfig(kEnsChain), 1, *graph, other, stats_);
  auto answer = Infer(partial);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(answer.status().message(), HasSubstr("step 1 (model 'second')"));
}

TEST_F(EnsembleSchedulerTest, LoadChecksTheStepsAgainstTheirModels) {
  const auto config = EnsTestConfig(kEnsChain);
  auto graph = core::BuildEnsembleGraph(config);
  ASSERT_TRUE(graph.ok());
  FakeSteps missing;
  missing.Add("first", first_);
  Status status = CheckEnsembleSteps(config, *graph, missing);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("step 1 (model 'second') does not serve"));

  FakeSteps typed;
  typed.Add("first", first_);
  typed.Add("second", second_, "TYPE_INT32");
  status = CheckEnsembleSteps(config, *graph, typed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("tensor 'mid' is TYPE_FP32"));

  auto renamed = EnsTestConfig(kEnsChain);
  (*renamed.mutable_ensemble_scheduling()->mutable_step(0)->mutable_input_map())["NOPE"] = "mid";
  auto renamed_graph = core::BuildEnsembleGraph(renamed);
  ASSERT_TRUE(renamed_graph.ok());
  status = CheckEnsembleSteps(renamed, *renamed_graph, *steps_);
  EXPECT_THAT(status.message(), HasSubstr("input_map names 'NOPE'"));
}

TEST_F(EnsembleSchedulerTest, ShutdownRefusesNewRequests) {
  auto scheduler = Make(EnsTestConfig(kEnsChain));
  scheduler->Shutdown();
  auto answer = Infer(*scheduler);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace inferd::scheduler
