// The models the fuzz targets decode against: a few fixed configs and signatures covering every
// element type, batching and non-batching, a reshape and an optional input, so a decoded request
// reaches the request validator and the response encoders with shapes they really meet.
#pragma once

#include <cstdint>
#include <vector>

#include "core/inference_request.h"
#include "core/inference_response.h"
#include "core/model_signature.h"
#include "model_config.pb.h"

namespace inferd::fuzz {

// The configs, parsed once (protobuf text format, as a config.pbtxt).
const std::vector<::inference::ModelConfig>& FuzzConfigs();

// The models' inputs as a front end sees them in model metadata (batch dimension included).
const std::vector<std::vector<core::TensorSpec>>& FuzzSignatures();

// A response whose outputs are the request's inputs (as an echo model answers), for the
// response encoders.
core::InferenceResponse EchoResponse(const core::InferenceRequest& request);

// Bounds small enough that no fuzz input can make a target allocate beyond libFuzzer's
// -malloc_limit_mb, large enough for every real-looking seed.
inline constexpr int64_t kFuzzMaxBytes = int64_t{1} << 20;

}  // namespace inferd::fuzz
