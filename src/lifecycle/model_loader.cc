#include "lifecycle/model_loader.h"

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "google/protobuf/text_format.h"
#include "lifecycle/warmup.h"
#include "repository/model_config.h"
#include "scheduler/scheduler_factory.h"
#include "scheduler/stats_recorder.h"

namespace inferd::lifecycle {
namespace {

// A model whose batch-of-one runs faster than this is executed on the IO thread when an instance
// is idle: the hand-off to a worker and back costs ~2 context switches (~50 µs on a loaded VM).
constexpr std::chrono::microseconds kInlineExecutionBelow{50};

Status Cancelled(const std::string& name) {
  return absl::CancelledError(absl::StrCat(
      "the load of model '", name, "' was cancelled (server shutting down or model unloaded)"));
}

StatusOr<std::vector<std::unique_ptr<backend::Instance>>> CreateInstances(
    backend::Model& model, const ::inference::ModelConfig& config,
    const core::CancellationFlag& cancel) {
  std::vector<std::unique_ptr<backend::Instance>> instances;
  int index = 0;
  for (const auto& group : config.instance_group()) {
    for (int i = 0; i < group.count(); ++i) {
      if (cancel.IsCancelled()) return Cancelled(config.name());
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
  ASSIGN_OR_RETURN(
      std::string text,
      repository::ReadRepositoryFile(dir.root, *dir.config_file, repository::kMaxConfigFileBytes));
  return repository::ParseConfigText(text, dir.config_file->string());
}

std::string ConfigText(const ::inference::ModelConfig& config) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  return text;
}

StatusOr<Artifact> IdentifyVersion(const repository::ModelDir& dir, int64_t version,
                                   const ::inference::ModelConfig& config,
                                   const preprocess::ModelFiles* files) {
  Artifact artifact;
  artifact.model_file = repository::ModelFilePath(dir, version, config);
  // The backend opens the model file by path: it must be checked here, before anything reads it.
  RETURN_IF_ERROR(repository::CheckInsideRepository(dir.root, artifact.model_file));
  artifact.source_config_sha256 = Sha256Hex(ConfigText(config));
  // The source config names the label files (auto-complete adds none).
  if (files != nullptr) artifact.assets_sha256 = preprocess::AssetsDigest(config, *files, version);
  // A backend without a model file (an ensemble): the version is its config.
  if (config.default_model_filename().empty()) return artifact;
  auto digest = Sha256File(artifact.model_file);
  if (!digest.ok()) {
    return absl::NotFoundError(absl::StrCat("model file '", artifact.model_file.string(),
                                            "' of version ", version, " not found or unreadable"));
  }
  artifact.model_sha256 = *std::move(digest);
  return artifact;
}

StatusOr<::inference::ModelConfig> CompleteConfig(const backend::RegisteredBackend& backend,
                                                  const core::ModelSignature& signature,
                                                  const repository::AutoCompleteOptions& options,
                                                  ::inference::ModelConfig config) {
  backend.FillIdentity(config);
  const backend::AutoCompleteHints hints{options.default_max_batch_size};
  return repository::AutoCompleteConfig(
      signature, options, std::move(config),
      [&](::inference::ModelConfig& c) { return backend.AutoComplete(signature, hints, c); });
}

StatusOr<std::unique_ptr<ModelVersion>> LoadModelVersion(
    const backend::RegisteredBackend& backend, const repository::ModelDir& dir, int64_t version,
    const ::inference::ModelConfig& config, const repository::AutoCompleteOptions& options,
    Artifact artifact, const core::CancellationFlag& cancel, const metrics::BucketConfig& buckets,
    const preprocess::ModelFiles* files, std::shared_ptr<const scheduler::StepResolver> steps) {
  const auto start = std::chrono::steady_clock::now();
  const auto& file = artifact.model_file;
  // The backend loads from the config as written (auto-complete leaves its settings alone) and
  // its signature completes the config, so the file is opened once.
  const std::string& name = config.name().empty() ? options.model_name : config.name();
  ASSIGN_OR_RETURN(backend::Backend * runtime, backend.Get());
  ASSIGN_OR_RETURN(auto model, runtime->LoadModel({name, version, file, config}));
  ASSIGN_OR_RETURN(auto completed, CompleteConfig(backend, *model->signature(), options, config));
  ASSIGN_OR_RETURN(auto instances, CreateInstances(*model, completed, cancel));
  if (cancel.IsCancelled()) return Cancelled(name);
  RETURN_IF_ERROR(RunWarmup(completed, dir.path, instances, dir.root.allow_outside, cancel));
  auto stats = std::make_shared<scheduler::StatsRecorder>(completed.name(), version,
                                                          completed.max_batch_size(), buckets);
  ASSIGN_OR_RETURN(auto scheduler, scheduler::CreateScheduler(
                                       completed, version, std::move(instances),
                                       {nullptr, stats, kInlineExecutionBelow, std::move(steps)}));
  artifact.config_sha256 = Sha256Hex(ConfigText(completed));
  // Resolved against the completed config (a pipeline may leave the tensor names to it).
  std::shared_ptr<const preprocess::ModelAssets> assets;
  if (files != nullptr) {
    assets = std::make_shared<const preprocess::ModelAssets>(
        preprocess::LoadModelAssets(completed, *files, version));
  }
  artifact.load_duration = std::chrono::steady_clock::now() - start;
  return std::make_unique<ModelVersion>(std::move(completed), version, std::move(artifact),
                                        std::move(model), std::move(scheduler), std::move(stats),
                                        std::move(assets));
}

}  // namespace inferd::lifecycle
