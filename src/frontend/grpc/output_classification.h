// The KServe classification extension on the gRPC front end: an output requested with parameter
// "classification" (infer_codec.h decodes it) comes back as a BYTES tensor of "score:index:label"
// strings (preprocess/classification.h, shared with the HTTP front end), encoded in the same form
// (raw or typed) as the rest of the response. The labels are the output's label_filename, taken
// from the per-load asset cache before the request is handed to the facade, so the completion
// callback reads no file. Pure functions, thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/inference_request.h"
#include "core/inference_response.h"
#include "frontend/grpc/infer_codec.h"
#include "preprocess/model_assets.h"

namespace inferd::frontend::grpc {

struct ClassificationPlan {
  struct Output {
    std::string name;
    int count = 0;
    const preprocess::Labels* labels = nullptr;  // into `assets`; never null
  };
  std::shared_ptr<const preprocess::ModelAssets> assets;  // keeps `labels` alive; may be null
  std::vector<Output> outputs;
};

// The labels of each output `wanted` for `request`'s model. `assets` null = no label files
// ("score:index" strings). Errors are the facade's (unknown or unready model) or the label file's.
StatusOr<ClassificationPlan> PlanClassification(const preprocess::ModelAssetCache* assets,
                                                const core::InferenceRequest& request,
                                                const std::vector<OutputClassification>& wanted);

// Replaces each planned output of `response` by its classification strings. InvalidArgument for
// an output that cannot be classified (BYTES, BOOL).
Status ApplyClassification(const ClassificationPlan& plan, core::InferenceResponse& response);

}  // namespace inferd::frontend::grpc
