// The image entry point every HTTP dialect shares (/predict here; TorchServe's image bodies):
// find a model's declared image pipeline (preprocess/model_assets.h: `pipeline.json` beside the
// model, parsed once per load), turn an uploaded JPEG/PNG into a core::InferenceRequest for the
// facade, and turn the response into the top classes with their labels.
//
// The pipeline runs on the calling (front end) thread, never on a model instance's thread, so
// batching is unaffected; its duration is recorded in InferenceRequest::preprocess_duration.
// Thread-safe: pure functions over the asset cache, which is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/inference_service.h"
#include "preprocess/model_assets.h"
#include "preprocess/pipeline.h"

namespace inferd::frontend::http {

using ImageModel = preprocess::ImageModel;

// The image model of the load that answers (model, version) now (`version` 0 = the highest ready
// version). NotFound/Unavailable from the facade for an unknown or unready model; InvalidArgument
// when the model declares no pipeline; Internal when its declaration is broken (a server-side
// error, not the client's). Shares the cached entry (no copy of the labels per request) and keeps
// it alive past a reload for the request's callback.
StatusOr<std::shared_ptr<const ImageModel>> LoadImageModel(
    const preprocess::ModelAssetCache& assets, std::string_view model, int64_t version);

// Decodes and transforms `image` (InvalidArgument for a bad or oversized image: a 400) into a
// request for exactly that version, asking for the scores output only.
StatusOr<std::unique_ptr<core::InferenceRequest>> MakeImageRequest(const ImageModel& model,
                                                                   std::string_view image);

struct ClassPrediction {
  std::string label;  // from the label file; the index as text when there is none
  int64_t index = 0;
  float score = 0;
};

// The first batch entry's top-k classes (softmax when declared), highest first.
StatusOr<std::vector<ClassPrediction>> TopPredictions(const core::InferenceResponse& response,
                                                      const ImageModel& model);

// {"model": ..., "version": "1", "predictions": [{"label", "index", "score"}, ...]}
std::string PredictionsJson(const ImageModel& model,
                            const std::vector<ClassPrediction>& predictions);

}  // namespace inferd::frontend::http
