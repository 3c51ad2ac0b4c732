// Turns one version folder of a scanned model into a servable ModelVersion: read the model's
// signature, complete and validate the config, load it in the backend, create the configured
// instances and their scheduler. Stateless; thread-safe (loads may run in parallel).
#pragma once

#include <cstdint>
#include <memory>

#include "backend/backend.h"
#include "common/status.h"
#include "lifecycle/model_version.h"
#include "repository/config_autocomplete.h"
#include "repository/repository_scanner.h"

namespace inferd::lifecycle {

// Reads <model>/config.pbtxt if present, else an empty config (auto-complete fills it).
StatusOr<::inference::ModelConfig> ReadModelConfig(const repository::ModelDir& dir);

StatusOr<std::shared_ptr<ModelVersion>> LoadModelVersion(
    backend::Backend& backend, const repository::ModelDir& dir, int64_t version,
    const ::inference::ModelConfig& config, const repository::AutoCompleteOptions& options);

}  // namespace inferd::lifecycle
