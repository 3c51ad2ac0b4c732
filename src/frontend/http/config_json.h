// ModelConfig -> JSON exactly as Triton's GET /v2/models/{m}/config prints it: protobuf's JSON
// with the .proto field names and every primitive field present, then 64-bit integer fields
// (which proto3 JSON writes as strings) turned back into JSON numbers. Pure, thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::frontend::http {

StatusOr<std::string> ModelConfigToJson(const ::inference::ModelConfig& config);

}  // namespace inferd::frontend::http
