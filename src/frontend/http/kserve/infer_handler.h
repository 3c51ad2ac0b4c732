// POST /v2/models/{m}[/versions/{v}]/infer: decode the body in place, hand the request to the
// facade, and encode the response on the thread that completes it (never an IO thread's wait).
// Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "preprocess/model_assets.h"

namespace inferd::frontend::http {

// `request` is shared because the decoded tensors view its body until inference completes.
// `assets` (may be null: no labels) supplies the label files of the classification extension;
// `shared_memory` (may be null: extension off) the regions that tensors may name.
void HandleInfer(core::InferenceService& service, const DecodeLimits& limits,
                 std::shared_ptr<const HttpRequest> request, std::string model, int64_t version,
                 core::CancellationToken cancel, Respond respond,
                 const preprocess::ModelAssetCache* assets = nullptr,
                 const core::SharedMemoryRegistry* shared_memory = nullptr);

}  // namespace inferd::frontend::http
