#include "scheduler/scheduler_factory.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/ensemble_graph.h"
#include "scheduler/batching_scheduler.h"
#include "scheduler/ensemble_scheduler.h"
#include "scheduler/sequence_scheduler.h"
#include "scheduler/text_reader_scheduler.h"

namespace inferd::scheduler {
namespace {

// The resolver of an ensemble built without a model manager: no step serves.
class NoStepsServe : public StepResolver {
 public:
  StatusOr<StepTarget> ResolveStep(std::string_view model, int64_t) const override {
    return absl::UnavailableError(
        absl::StrCat("model '", std::string(model), "' is not served by this process"));
  }
};

StatusOr<std::unique_ptr<Scheduler>> CreateEnsembleScheduler(const ::inference::ModelConfig& config,
                                                             int64_t version,
                                                             SchedulerContext context) {
  ASSIGN_OR_RETURN(auto graph, core::BuildEnsembleGraph(config));
  if (context.steps) {
    RETURN_IF_ERROR(CheckEnsembleSteps(config, graph, *context.steps));
  } else {
    context.steps = std::make_shared<NoStepsServe>();
  }
  auto stats = context.stats ? context.stats
                             : std::make_shared<StatsRecorder>(config.name(), version,
                                                               config.max_batch_size());
  return std::make_unique<EnsembleScheduler>(config, version, std::move(graph),
                                             std::move(context.steps), std::move(stats));
}

StatusOr<std::unique_ptr<Scheduler>> CreateTextReaderScheduler(
    const ::inference::ModelConfig& config, int64_t version, SchedulerContext context) {
  ASSIGN_OR_RETURN(auto spec, core::ParseTextReaderSpec(config));
  if (context.steps) {
    RETURN_IF_ERROR(CheckTextReaderModels(config, spec, *context.steps));
  } else {
    context.steps = std::make_shared<NoStepsServe>();
  }
  auto stats = context.stats ? context.stats
                             : std::make_shared<StatsRecorder>(config.name(), version,
                                                               config.max_batch_size());
  return std::make_unique<TextReaderScheduler>(config, version, std::move(spec),
                                               std::move(context.steps), std::move(stats));
}

StatusOr<std::unique_ptr<Scheduler>> CreateSequenceScheduler(
    const ::inference::ModelConfig& config, int64_t version,
    std::vector<std::unique_ptr<backend::Instance>> instances, SchedulerContext context) {
  const auto& batching = config.sequence_batching();
  auto controls = core::ParseSequenceControls(batching);
  if (!controls.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", config.name(), "': ", controls.status().message()));
  }
  SequenceOptions options;
  options.model_name = config.name();
  options.model_version = version;
  options.max_batch_size = config.max_batch_size();
  options.controls = *std::move(controls);
  if (batching.max_sequence_idle_microseconds() > 0) {
    options.max_idle = std::chrono::microseconds(batching.max_sequence_idle_microseconds());
  }
  if (batching.has_oldest()) {
    const auto& oldest = batching.oldest();
    options.oldest = true;
    options.max_candidate_sequences =
        static_cast<size_t>(std::max(oldest.max_candidate_sequences(), 0));
    for (int32_t size : oldest.preferred_batch_size()) {
      if (size < 1 || size > std::max(config.max_batch_size(), 1)) {
        return absl::InvalidArgumentError(
            absl::StrCat("model '", config.name(), "': oldest preferred_batch_size ", size,
                         " must be between 1 and max_batch_size (", config.max_batch_size(), ")"));
      }
      options.preferred_batch_sizes.push_back(size);
    }
    options.max_queue_delay = std::chrono::microseconds(oldest.max_queue_delay_microseconds());
  } else {
    options.max_queue_delay =
        std::chrono::microseconds(batching.direct().max_queue_delay_microseconds());
  }
  return std::make_unique<SequenceScheduler>(std::move(options), std::move(instances),
                                             std::move(context));
}

}  // namespace

StatusOr<std::unique_ptr<Scheduler>> CreateScheduler(
    const ::inference::ModelConfig& config, int64_t version,
    std::vector<std::unique_ptr<backend::Instance>> instances, SchedulerContext context) {
  // An ensemble runs its steps on their models' schedulers; its own instances are never used.
  if (core::IsEnsemble(config)) return CreateEnsembleScheduler(config, version, std::move(context));
  // A text reader runs its models on their schedulers too.
  if (core::IsTextReader(config)) {
    return CreateTextReaderScheduler(config, version, std::move(context));
  }
  if (instances.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", config.name(), "' has no instances to schedule on"));
  }
  if (config.has_sequence_batching()) {
    return CreateSequenceScheduler(config, version, std::move(instances), std::move(context));
  }
  BatchingOptions options;
  options.model_name = config.name();
  options.model_version = version;
  options.max_batch_size = config.max_batch_size();
  if (config.has_dynamic_batching()) {
    const auto& batching = config.dynamic_batching();
    options.dynamic_batching = true;
    for (int32_t size : batching.preferred_batch_size()) {
      if (size < 1 || size > std::max(config.max_batch_size(), 1)) {
        return absl::InvalidArgumentError(
            absl::StrCat("model '", config.name(), "': preferred_batch_size ", size,
                         " must be between 1 and max_batch_size (", config.max_batch_size(), ")"));
      }
      options.preferred_batch_sizes.push_back(size);
    }
    options.max_queue_delay = std::chrono::microseconds(batching.max_queue_delay_microseconds());
    options.preserve_ordering = batching.preserve_ordering();
    options.queue = QueueConfigFromProto(batching);
  }
  options.inline_below = context.inline_below;
  return std::make_unique<BatchingScheduler>(std::move(options), std::move(instances),
                                             std::move(context));
}

}  // namespace inferd::scheduler
