// Decodes a KServe v2 REST infer request body (JSON, or the binary tensor extension) into a
// core::InferenceRequest. Checks protocol well-formedness only; the facade checks the request
// against the model. Binary inputs are not copied: their tensor views point into `body`, and the
// request keeps `owner` (whatever owns `body`) alive. Pure function, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/inference_request.h"
#include "core/shared_memory.h"
#include "frontend/http/infer_response_codec.h"

namespace inferd::frontend::http {

struct DecodeLimits {
  size_t max_input_size = size_t{64} << 20;  // also bounds any tensor's element count
  int max_json_depth = 64;
};

struct DecodedInferRequest {
  std::unique_ptr<core::InferenceRequest> request;
  OutputEncoding encoding;  // what the response encoder must honour
};

// `registry` (may be null: the extension is off) resolves the shared-memory parameters of
// inputs (their data) and requested outputs (where the response writes them).
// `header_length` is the raw Inference-Header-Content-Length header value (nullopt if absent).
// `body` must stay valid as long as `owner` lives. Model name/version come from the URL.
StatusOr<DecodedInferRequest> DecodeInferRequest(
    std::string_view body, std::shared_ptr<const void> owner,
    std::optional<std::string_view> header_length, std::string model_name, int64_t model_version,
    const DecodeLimits& limits = {}, const core::SharedMemoryRegistry* registry = nullptr);

}  // namespace inferd::frontend::http
