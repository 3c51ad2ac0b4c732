// The FastAPI-style endpoints: POST /predict[/{model}[/versions/{v}]] takes an image (a
// multipart/form-data `file` field, or the raw image as the body), hands it to the facade, which
// runs the image pipeline of the version that will run it on the calling IO thread, and answers
// {"model", "version", "predictions": [{"label", "index", "score"}]}. GET /health answers a small
// JSON status. Thread-safe; the facade must outlive the handlers' callbacks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

struct PredictOptions {
  // Whether image bodies are taken (/predict, TorchServe images). Off: /predict answers 501.
  bool image_input = false;
  std::string default_model;  // served by POST /predict; empty: 404
};

// The uploaded image: the multipart field named `field`, or the whole body when the request is
// not multipart. A view into the request's body.
StatusOr<std::string_view> UploadedImage(const HttpRequest& request, std::string_view field);

// `model` empty = options.default_model.
void HandlePredict(core::InferenceService& service, const PredictOptions& options,
                   std::shared_ptr<const HttpRequest> request, std::string model, int64_t version,
                   core::CancellationToken cancel, Respond respond);

// 200 {"status": "ok", "ready": <strict readiness>} while live, else 503 {"status": "down"}.
HttpResponse HandleHealth(const core::InferenceService& service);

}  // namespace inferd::frontend::http
