#include "scheduler/ensemble_scheduler.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "core/data_type.h"
#include "core/request_validator.h"

namespace inferd::scheduler {
namespace {

using EnsClock = std::chrono::steady_clock;

template <typename IOs>
const auto* FindEnsembleIO(const IOs& ios, const std::string& name) {
  for (const auto& io : ios) {
    if (io.name() == name) return &io;
  }
  return static_cast<decltype(&*ios.begin())>(nullptr);
}

Status StepStatus(const core::EnsembleGraph& graph, size_t step, const std::string& ensemble,
                  const Status& status) {
  return Status(status.code(),
                absl::StrCat("ensemble '", ensemble, "' ", core::EnsembleStepName(graph, step),
                             ": ", status.message()));
}

core::FailureReason EnsembleFailureReason(const Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kCancelled:
      return core::FailureReason::kCanceled;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
      return core::FailureReason::kRejected;
    case absl::StatusCode::kInternal:
      return core::FailureReason::kBackend;
    default:
      return core::FailureReason::kOther;
  }
}

}  // namespace

Status CheckEnsembleSteps(const ::inference::ModelConfig& config, const core::EnsembleGraph& graph,
                          const StepResolver& steps) {
  // The data type of every ensemble tensor, from the ensemble's inputs and the steps' outputs.
  std::map<std::string, ::inference::DataType> types;
  for (const auto& input : config.input()) types[input.name()] = input.data_type();
  std::vector<StepTarget> targets;
  for (size_t i = 0; i < graph.steps.size(); ++i) {
    const auto& step = graph.steps[i];
    auto target = steps.ResolveStep(step.model, step.version);
    if (!target.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("ensemble '", config.name(), "' ", core::EnsembleStepName(graph, i),
                       " does not serve: ", target.status().message()));
    }
    const auto& step_config = *target->config;
    auto fail = [&](const std::string& message) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ensemble '", config.name(), "' ", core::EnsembleStepName(graph, i), ": ", message));
    };
    if (config.max_batch_size() > 0 && step_config.max_batch_size() < config.max_batch_size()) {
      return fail(absl::StrCat("the model's max_batch_size ", step_config.max_batch_size(),
                               " is smaller than the ensemble's ", config.max_batch_size()));
    }
    for (const auto& [step_tensor, tensor] : step.inputs) {
      if (FindEnsembleIO(step_config.input(), step_tensor) == nullptr) {
        return fail(absl::StrCat("input_map names '", step_tensor,
                                 "', which is not an input of the model"));
      }
    }
    for (const auto& input : step_config.input()) {
      const bool fed = std::any_of(step.inputs.begin(), step.inputs.end(),
                                   [&](const auto& in) { return in.first == input.name(); });
      if (!fed && !input.optional()) {
        return fail(absl::StrCat("the model's input '", input.name(), "' is not in input_map"));
      }
    }
    for (const auto& [step_tensor, tensor] : step.outputs) {
      const auto* output = FindEnsembleIO(step_config.output(), step_tensor);
      if (output == nullptr) {
        return fail(absl::StrCat("output_map names '", step_tensor,
                                 "', which is not an output of the model"));
      }
      types[tensor] = output->data_type();
    }
    targets.push_back(*std::move(target));
  }
  // Types along every edge, once every producer is known.
  for (size_t i = 0; i < graph.steps.size(); ++i) {
    for (const auto& [step_tensor, tensor] : graph.steps[i].inputs) {
      const auto* input = FindEnsembleIO(targets[i].config->input(), step_tensor);
      if (types[tensor] != input->data_type()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "ensemble '", config.name(), "' ", core::EnsembleStepName(graph, i), ": tensor '",
            tensor, "' is ", ::inference::DataType_Name(types[tensor]), " but the model's input '",
            step_tensor, "' is ", ::inference::DataType_Name(input->data_type())));
      }
    }
  }
  for (const auto& output : config.output()) {
    if (types[output.name()] != output.data_type()) {
      return absl::InvalidArgumentError(
          absl::StrCat("ensemble '", config.name(), "': output '", output.name(), "' is ",
                       ::inference::DataType_Name(output.data_type()), " but its step writes ",
                       ::inference::DataType_Name(types[output.name()])));
    }
  }
  return absl::OkStatus();
}

struct EnsembleScheduler::Shared {
  ::inference::ModelConfig config;
  int64_t version = 0;
  core::EnsembleGraph graph;
  std::shared_ptr<const StepResolver> steps;
  std::shared_ptr<StatsRecorder> stats;
  std::vector<std::string> outputs;  // the ensemble's outputs, config order

  absl::Mutex mu;
  int64_t running ABSL_GUARDED_BY(mu) = 0;
  bool shutting_down ABSL_GUARDED_BY(mu) = false;
};

// One request's dataflow. Owned by the completion callbacks of its running steps (and by the
// call that starts it), so it lives exactly as long as something can still complete it.
class EnsembleScheduler::Run : public std::enable_shared_from_this<EnsembleScheduler::Run> {
 public:
  Run(std::shared_ptr<Shared> shared, std::unique_ptr<core::InferenceRequest> request,
      core::ResponseCallback done)
      : shared_(std::move(shared)),
        request_(std::move(request)),
        done_(std::move(done)),
        launched_(shared_->graph.steps.size(), false) {
    for (const auto& input : request_->inputs) tensors_.emplace(input.name, input);
  }

  // Starts every step whose inputs exist.
  void Advance() {
    std::vector<size_t> ready;
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      for (size_t i : shared_->graph.order) {
        if (launched_[i]) continue;
        if (!InputsReadyLocked(i)) continue;
        launched_[i] = true;
        ready.push_back(i);
      }
    }
    for (size_t i : ready) {
      if (Answered()) return;  // an earlier step of this batch failed: start no more
      StartStep(i);
    }
  }

 private:
  bool Answered() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return answered_;
  }

  bool InputsReadyLocked(size_t index) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (const auto& input : shared_->graph.steps[index].inputs) {
      if (!tensors_.contains(input.second)) return false;
    }
    return true;
  }

  void StartStep(size_t index) {
    const auto& graph = shared_->graph;
    const auto& step = graph.steps[index];
    if (request_->cancellation && request_->cancellation->IsCancelled()) {
      return Fail(index, absl::CancelledError("the request was cancelled"));
    }
    auto step_request = std::make_unique<core::InferenceRequest>();
    if (request_->timeout_us > 0) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          EnsClock::now() - request_->received);
      const int64_t left = static_cast<int64_t>(request_->timeout_us) - elapsed.count();
      if (left <= 0) {
        return Fail(index, absl::DeadlineExceededError("the request's timeout passed before the "
                                                       "step could start"));
      }
      step_request->timeout_us = static_cast<uint64_t>(left);
    }
    auto target = shared_->steps->ResolveStep(step.model, step.version);
    if (!target.ok()) return Fail(index, target.status());
    step_request->model_name = step.model;
    step_request->model_version = target->version;
    step_request->id = request_->id;
    step_request->priority = request_->priority;
    step_request->cancellation = request_->cancellation;
    step_request->body = request_->body;  // the ensemble's inputs may view the request body
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [step_tensor, tensor] : step.inputs) {
        core::Tensor input = tensors_.at(tensor);
        input.name = step_tensor;
        step_request->inputs.push_back(std::move(input));
      }
    }
    for (const auto& [step_tensor, tensor] : step.outputs) {
      step_request->requested_outputs.push_back(step_tensor);
    }
    if (Status valid = core::ValidateRequest(*target->config, *step_request); !valid.ok()) {
      if (target->record_invalid) target->record_invalid(std::chrono::nanoseconds(0));
      return Fail(index, valid);
    }
    auto& scheduler = *target->scheduler;
    scheduler.Enqueue(std::move(step_request),
                      [self = shared_from_this(), index, target = *std::move(target)](
                          StatusOr<core::InferenceResponse> result) mutable {
                        self->StepDone(index, std::move(result));
                      });
  }

  void StepDone(size_t index, StatusOr<core::InferenceResponse> result) {
    if (!result.ok()) return Fail(index, result.status());
    const auto& step = shared_->graph.steps[index];
    bool all_done = false;
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      for (auto& output : result->outputs) {
        auto it = std::find_if(step.outputs.begin(), step.outputs.end(),
                               [&](const auto& out) { return out.first == output.name; });
        if (it == step.outputs.end()) continue;
        output.name = it->second;
        tensors_.insert_or_assign(it->second, std::move(output));
      }
      all_done = ++finished_ == shared_->graph.steps.size();
    }
    if (all_done) return Finish();
    Advance();
  }

  void Fail(size_t index, const Status& status) {
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      answered_ = true;
    }
    const Status failed = StepStatus(shared_->graph, index, shared_->config.name(), status);
    shared_->stats->RecordFailure(EnsClock::now() - request_->received,
                                  EnsembleFailureReason(status));
    Complete(failed);
  }

  void Finish() {
    core::InferenceResponse response{shared_->config.name(), shared_->version, request_->id, {}};
    {
      absl::MutexLock lock(&mu_);
      answered_ = true;
      const auto& wanted =
          request_->requested_outputs.empty() ? shared_->outputs : request_->requested_outputs;
      for (const auto& name : wanted) {
        auto it = tensors_.find(name);
        if (it != tensors_.end()) response.outputs.push_back(it->second);
      }
    }
    const auto now = EnsClock::now();
    const auto duration = now - request_->received;
    const auto compute = now - started_;
    int64_t batch = 1;
    if (shared_->config.max_batch_size() > 0 && !request_->inputs.empty() &&
        !request_->inputs.front().shape.empty()) {
      batch = std::max<int64_t>(1, request_->inputs.front().shape.front());
    }
    shared_->stats->RecordExecution(batch, {}, compute, {});
    shared_->stats->RecordSuccess(duration, started_ - request_->received, {}, compute, {});
    if (request_->timeline) {
      request_->timeline->queued = started_;
      request_->timeline->compute_start = started_;
      request_->timeline->compute_end = now;
    }
    Complete(std::move(response));
  }

  void Complete(StatusOr<core::InferenceResponse> result) {
    auto shared = shared_;
    std::move(done_)(std::move(result));
    absl::MutexLock lock(&shared->mu);
    --shared->running;
  }

  const std::shared_ptr<Shared> shared_;
  const std::unique_ptr<core::InferenceRequest> request_;
  core::ResponseCallback done_;
  const EnsClock::time_point started_ = EnsClock::now();
  absl::Mutex mu_;
  std::map<std::string, core::Tensor> tensors_ ABSL_GUARDED_BY(mu_);
  std::vector<bool> launched_ ABSL_GUARDED_BY(mu_);
  size_t finished_ ABSL_GUARDED_BY(mu_) = 0;
  bool answered_ ABSL_GUARDED_BY(mu_) = false;
};

EnsembleScheduler::EnsembleScheduler(::inference::ModelConfig config, int64_t version,
                                     core::EnsembleGraph graph,
                                     std::shared_ptr<const StepResolver> steps,
                                     std::shared_ptr<StatsRecorder> stats)
    : shared_(std::make_shared<Shared>()) {
  for (const auto& output : config.output()) shared_->outputs.push_back(output.name());
  shared_->config = std::move(config);
  shared_->version = version;
  shared_->graph = std::move(graph);
  shared_->steps = std::move(steps);
  shared_->stats = std::move(stats);
}

EnsembleScheduler::~EnsembleScheduler() { Shutdown(); }

void EnsembleScheduler::Enqueue(std::unique_ptr<core::InferenceRequest> request,
                                core::ResponseCallback done) {
  {
    absl::ReleasableMutexLock lock(&shared_->mu);
    if (shared_->shutting_down) {
      lock.Release();
      shared_->stats->RecordFailure(EnsClock::now() - request->received,
                                    core::FailureReason::kRejected);
      return std::move(done)(absl::UnavailableError(
          absl::StrCat("model '", shared_->config.name(), "' is shutting down")));
    }
    ++shared_->running;
  }
  auto run = std::make_shared<Run>(shared_, std::move(request), std::move(done));
  run->Advance();
}

void EnsembleScheduler::Shutdown() {
  absl::MutexLock lock(&shared_->mu);
  shared_->shutting_down = true;
  shared_->mu.Await(absl::Condition(
      +[](int64_t* running) { return *running == 0; }, &shared_->running));
}

}  // namespace inferd::scheduler
