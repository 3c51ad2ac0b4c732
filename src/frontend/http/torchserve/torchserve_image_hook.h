// POST /predictions/{m}[/{v}] with a non-JSON body (image bytes, or a multipart upload in field
// `data` as TorchServe's clients send it): the image pipeline declared by the version that runs
// it (image_request.h) preprocesses it and the answer is TorchServe's image classifier shape,
// {"label": score, ...} highest first. A model without a pipeline answers 415. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "frontend/http/predict/predict_handler.h"

namespace inferd::frontend::http {

// `version` 0 = the default version. Calls `respond` exactly once.
void HandleTorchServeImage(core::InferenceService& service, const PredictOptions& predict,
                           std::shared_ptr<const HttpRequest> request, std::string model,
                           int64_t version, core::CancellationToken cancel, Respond respond);

}  // namespace inferd::frontend::http
