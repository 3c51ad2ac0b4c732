// Checks of a model configuration: on its own (values in range, names unique) and against the
// model file's signature (every tensor exists with the same type and a compatible shape).
//
// Messages say exactly what differs and what the model has instead, because the person reading
// them is fixing a config.pbtxt by hand. All errors are InvalidArgument.
//
// Pure functions; thread-safe.
#pragma once

#include "common/status.h"
#include "core/model_signature.h"
#include "model_config.pb.h"

namespace inferd::repository {

// The config on its own: max_batch_size >= 0; each input/output has a name, a data type and dims
// (each >= 1 or -1), and a valid reshape; names unique among inputs and among outputs; dynamic
// batching's preferred sizes within [1, max_batch_size] and priority settings consistent;
// instance counts >= 0; `latest` keeps at least one version.
Status ValidateConfig(const ::inference::ModelConfig& config);

// The sum of the instance groups' counts is at most `max_instances` (the server's
// --max-instances-per-model). Counted in 64 bits, so no count can overflow past the check; over
// the bound is refused, never clamped.
Status ValidateInstanceCount(const ::inference::ModelConfig& config, int64_t max_instances);

// The config against the model. With max_batch_size > 0 the model's first dimension of every
// configured tensor must be -1 (the batch) and the rest must match the config's dims (or reshape
// shape, when given); without batching the whole shape must match. A config -1 is a wildcard, and
// a model -1 accepts any configured size. Every model input must be configured; a config may list
// a subset of the model's outputs.
Status ValidateAgainstSignature(const ::inference::ModelConfig& config,
                                const core::ModelSignature& signature);

}  // namespace inferd::repository
