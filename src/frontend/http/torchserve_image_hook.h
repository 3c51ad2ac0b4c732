// The hook through which POST /predictions/{m}[/{v}] hands a non-JSON body (image bytes, a
// multipart upload) to an image preprocessing pipeline. Until the model's declared pipeline is
// wired in here, it answers 415 (TorchServe's error shape) saying so. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

// `version` 0 = the default version. Calls `respond` exactly once.
void HandleTorchServeImage(core::InferenceService& service,
                           std::shared_ptr<const HttpRequest> request, std::string model,
                           int64_t version, core::CancellationToken cancel, Respond respond);

}  // namespace inferd::frontend::http
