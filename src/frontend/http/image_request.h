// The image entry point every HTTP dialect shares (/predict here; TorchServe's image bodies):
// an uploaded JPEG/PNG becomes a core::InferenceRequest carrying the encoded image, and the
// answer's top classes (InferenceResponse::predictions) become JSON. Which pipeline decodes the
// image and which labels name the classes is the service's business: those of the version that
// runs the request (lifecycle/model_version.h), never looked up here.
//
// The pipeline runs on the calling (front end) thread inside the service's Infer, never on a
// model instance's thread, so batching is unaffected; its duration is recorded in
// InferenceRequest::preprocess_duration. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/inference_request.h"
#include "core/inference_response.h"

namespace inferd::frontend::http {

// An image request for (model, version) (`version` 0 = the highest ready version). `image` views
// `body`, which the request keeps alive.
std::unique_ptr<core::InferenceRequest> MakeImageRequest(std::string model, int64_t version,
                                                         std::shared_ptr<const void> body,
                                                         std::string_view image);

// {"model": ..., "version": "1", "predictions": [{"label", "index", "score"}, ...]}; a text
// recogniser's {"model", "version", "text", "confidence"}; a text detector's
// {"model", "version", "lines": [{"box": [[x, y] x 4], "score"}, ...]}.
std::string PredictionsJson(const core::InferenceResponse& response);

// A text detector's lines alone: {"lines": [...]} (TorchServe's answer).
std::string TextLinesJson(const std::vector<core::TextLineBox>& lines);

}  // namespace inferd::frontend::http
