// The FastAPI-style endpoints: POST /predict[/{model}[/versions/{v}]] takes an image (a
// multipart/form-data `file` field, or the raw image as the body), runs the model's declared
// image pipeline on the calling IO thread, infers, and answers
// {"model", "version", "predictions": [{"label", "index", "score"}]}. GET /health answers a small
// JSON status. Thread-safe; the facade and the asset cache must outlive the handlers' callbacks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "preprocess/model_assets.h"

namespace inferd::frontend::http {

struct PredictOptions {
  // Pipelines and labels, parsed once per model load. Null: /predict is not available (501) and
  // the classification extension has no labels.
  const preprocess::ModelAssetCache* assets = nullptr;
  std::string default_model;  // served by POST /predict; empty: 404
};

// The uploaded image: the multipart field named `field`, or the whole body when the request is
// not multipart. A view into the request's body.
StatusOr<std::string_view> UploadedImage(const HttpRequest& request, std::string_view field);

// `model` empty = options.default_model.
void HandlePredict(core::InferenceService& service, const PredictOptions& options,
                   const HttpRequest& request, std::string model, int64_t version,
                   core::CancellationToken cancel, Respond respond);

// 200 {"status": "ok", "ready": <strict readiness>} while live, else 503 {"status": "down"}.
HttpResponse HandleHealth(const core::InferenceService& service);

}  // namespace inferd::frontend::http
