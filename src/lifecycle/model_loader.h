// Turns one version folder of a scanned model into a servable ModelVersion: read the model's
// signature, complete and validate the config, load it in the backend, create the configured
// instances, warm them up, build their scheduler, and read its assets (pipeline, labels:
// preprocess/model_assets.h) through `files`. Stateless; thread-safe (loads may run in
// parallel).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "backend/registry/backend_registry.h"
#include "common/status.h"
#include "core/cancellation.h"
#include "lifecycle/model_version.h"
#include "metrics/histogram.h"
#include "preprocess/model_files.h"
#include "repository/config_autocomplete.h"
#include "repository/repository_scanner.h"
#include "scheduler/step_resolver.h"

namespace inferd::lifecycle {

// Reads <model>/config.pbtxt if present, else an empty config (auto-complete fills it).
StatusOr<::inference::ModelConfig> ReadModelConfig(const repository::ModelDir& dir);

// The config in protobuf text format (map entries sorted, so equal configs print equally).
std::string ConfigText(const ::inference::ModelConfig& config);

// What a version would be loaded from (file and digests), computed without loading it, so a
// reload can skip versions whose model file, source config and asset files are unchanged.
// `files` null: no assets (assets_sha256 stays empty).
StatusOr<Artifact> IdentifyVersion(const repository::ModelDir& dir, int64_t version,
                                   const ::inference::ModelConfig& config,
                                   const preprocess::ModelFiles* files = nullptr);

// Completes `config` for a version whose model file has `signature`: the backend's names and
// default file, the backend's part of auto-complete (registry), then Triton's core rules and
// validation (repository::AutoCompleteConfig).
StatusOr<::inference::ModelConfig> CompleteConfig(const backend::RegisteredBackend& backend,
                                                  const core::ModelSignature& signature,
                                                  const repository::AutoCompleteOptions& options,
                                                  ::inference::ModelConfig config);

// `cancel` is checked between instances and before warm-up: a load the server no longer wants
// (shutdown, an unload of the model) stops within one instance's creation, with Cancelled.
// `buckets` shapes the version's statistics histograms. `files` null: the version has no assets.
// `steps`: where an ensemble finds its steps' models (its load checks them against the versions
// serving now); null: an ensemble loads unchecked and answers Unavailable (check-repository).
StatusOr<std::unique_ptr<ModelVersion>> LoadModelVersion(
    const backend::RegisteredBackend& backend, const repository::ModelDir& dir, int64_t version,
    const ::inference::ModelConfig& config, const repository::AutoCompleteOptions& options,
    Artifact artifact, const core::CancellationFlag& cancel = core::CancellationFlag{},
    const metrics::BucketConfig& buckets = metrics::BucketConfig{},
    const preprocess::ModelFiles* files = nullptr,
    std::shared_ptr<const scheduler::StepResolver> steps = nullptr);

}  // namespace inferd::lifecycle
