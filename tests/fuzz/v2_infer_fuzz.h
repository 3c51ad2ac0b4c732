// What the KServe v2 REST infer route does with a body, short of running a model: decode it
// (JSON, or JSON header + binary tensors), check it against each fuzz model's config, and encode
// an echo of its inputs as the response the client asked for.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/request_validator.h"
#include "frontend/http/infer_request_codec.h"
#include "fuzz_models.h"

namespace inferd::fuzz {

inline void DecodeV2InferRequest(std::string_view bytes, std::optional<std::string_view> header) {
  // The body lives in its own allocation of exactly its size, as the HTTP session's body does.
  auto body = std::make_shared<const std::string>(bytes);
  frontend::http::DecodeLimits limits;
  limits.max_input_size = kFuzzMaxBytes;
  auto decoded = frontend::http::DecodeInferRequest(*body, body, header, "m", 0, limits);
  if (!decoded.ok()) return;
  (void)frontend::http::EncodeInferResponse(EchoResponse(*decoded->request), decoded->encoding);
  for (const auto& config : FuzzConfigs()) {
    core::InferenceRequest request = *decoded->request;
    if (core::ValidateRequest(config, request).ok()) {
      (void)frontend::http::EncodeInferResponse(EchoResponse(request), decoded->encoding);
    }
  }
}

}  // namespace inferd::fuzz
