// Checks an inference request against the model version's completed config before it is queued,
// so that a bad request is rejected with a precise InvalidArgument message and never reaches a
// backend: input names (unknown, missing, duplicate), datatypes, shapes (batch dimension and
// max_batch_size included), data byte sizes, BYTES layout, requested outputs.
//
// On success the request is normalised: inputs are put in config order and shapes of inputs with
// a `reshape` are rewritten to what the model expects. Pure function; thread-compatible.
#pragma once

#include "common/status.h"
#include "core/inference_request.h"
#include "model_config.pb.h"

namespace inferd::core {

Status ValidateRequest(const ::inference::ModelConfig& config, InferenceRequest& request);

}  // namespace inferd::core
