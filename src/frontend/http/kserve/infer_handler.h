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

namespace inferd::frontend::http {

// `request` is shared because the decoded tensors view its body until inference completes.
// Outputs asked with the classification extension are classified by the service, with the
// labels of the version that runs the request. `shared_memory` (may be null: extension off)
// holds the regions that tensors may name.
void HandleInfer(core::InferenceService& service, const DecodeLimits& limits,
                 std::shared_ptr<const HttpRequest> request, std::string model, int64_t version,
                 core::CancellationToken cancel, Respond respond,
                 const core::SharedMemoryRegistry* shared_memory = nullptr);

}  // namespace inferd::frontend::http
