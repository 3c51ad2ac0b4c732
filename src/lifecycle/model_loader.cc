#include "lifecycle/model_loader.h"

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "repository/model_config.h"
#include "scheduler/scheduler_factory.h"
#include "scheduler/stats_recorder.h"

namespace inferd::lifecycle {
namespace {

// A model whose batch-of-one runs faster than this is executed on the IO thread when an instance
// is idle: the hand-off to a worker and back costs ~2 context switches (~50 µs on a loaded VM).
constexpr std::chrono::microseconds kInlineExecutionBelow{50};

StatusOr<std::vector<std::unique_ptr<backend::Instance>>> CreateInstances(
    backend::Model& model, const ::inference::ModelConfig& config) {
  std::vector<std::unique_ptr<backend::Instance>> instances;
  int index = 0;
  for (const auto& group : config.instance_group()) {
    for (int i = 0; i < group.count(); ++i) {
      ASSIGN_OR_RETURN(auto instance, model.CreateInstance(index++));
      instances.push_back(std::move(instance));
    }
  }
  if (instances.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", config.name(), "' has no instances configured"));
  }
  return instances;
}

}  // namespace

StatusOr<::inference::ModelConfig> ReadModelConfig(const repository::ModelDir& dir) {
  if (!dir.config_file) return ::inference::ModelConfig{};
  return repository::ParseConfigFile(*dir.config_file);
}

StatusOr<std::shared_ptr<ModelVersion>> LoadModelVersion(
    backend::Backend& backend, const repository::ModelDir& dir, int64_t version,
    const ::inference::ModelConfig& config, const repository::AutoCompleteOptions& options) {
  const auto file = repository::ModelFilePath(dir, version, config);
  ASSIGN_OR_RETURN(auto signature, backend.ReadSignature(file));
  ASSIGN_OR_RETURN(auto completed, repository::AutoCompleteConfig(signature, options, config));
  backend::ModelSpec spec{completed.name(), version, file, completed};
  ASSIGN_OR_RETURN(auto model, backend.LoadModel(spec));
  ASSIGN_OR_RETURN(auto instances, CreateInstances(*model, completed));
  auto stats = std::make_shared<scheduler::StatsRecorder>(completed.name(), version,
                                                          completed.max_batch_size());
  ASSIGN_OR_RETURN(auto scheduler,
                   scheduler::CreateScheduler(completed, version, std::move(instances),
                                              {nullptr, stats, kInlineExecutionBelow}));
  return std::make_shared<ModelVersion>(std::move(completed), version, std::move(model),
                                        std::move(scheduler), std::move(stats));
}

}  // namespace inferd::lifecycle
