// The TorchServe REST APIs over the core facade, served on the main HTTP port (see
// docs/protocols.md for why there is no separate management port):
//   inference:  GET /ping, POST|PUT /predictions/{m}[/{v}], OPTIONS / (the API description)
//   management: GET /models, GET /models/{m}[/{v}|/all], POST /models?url=..., PUT
//               /models/{m}[/{v}]?min_worker=N, DELETE /models/{m}[/{v}],
//               PUT /models/{m}/{v}/set-default (torchserve_management.h)
// Versions are inferd's integer versions; "2.0" is read as 2. JSON prediction bodies hold tensors
// as TF Serving's columnar `inputs` value (a bare nested array for a single-input model, else
// {input name: nested array}); the answer is the outputs the same way. Other bodies (image
// bytes) go to the image hook (torchserve_image_hook.h). Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/predict/predict_handler.h"
#include "frontend/http/torchserve/torchserve_defaults.h"

namespace inferd::frontend::http {

struct TorchServeContext {
  core::InferenceService& service;
  const DecodeLimits& limits;
  TorchServeDefaults& defaults;
  const PredictOptions& predict;  // image bodies on /predictions
};

// GET|POST /ping: 200 {"status": "Healthy"} while ready, else 500 "Unhealthy".
HttpResponse HandleTorchServePing(const core::InferenceService& service);

// POST|PUT /predictions/{m}[/{v}]; the segments are still URL-encoded.
void HandleTorchServePredictions(const TorchServeContext& context,
                                 std::shared_ptr<const HttpRequest> request,
                                 std::string_view model_segment,
                                 std::optional<std::string_view> version_segment,
                                 core::CancellationToken cancel, Respond respond);

// "3" and "3.0" (TorchServe-style) -> 3; nullopt for anything else.
std::optional<int64_t> ParseTorchServeVersion(std::string_view text);

}  // namespace inferd::frontend::http
