// Handlers of the KServe v2 repository extension's load and unload calls
// (POST /v2/repository/models/{m}/load | unload). Both answer once the operation has finished
// (the facade completes them off the IO thread): 200 with an empty body, or the error.
#pragma once

#include <string>
#include <string_view>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

// `body` may be empty or {"parameters": {"config": "<ModelConfig as JSON>"}} (as Triton).
void HandleRepositoryLoad(core::InferenceService& service, std::string model, std::string_view body,
                          Respond respond);
void HandleRepositoryUnload(core::InferenceService& service, std::string model,
                            std::string_view body, Respond respond);

}  // namespace inferd::frontend::http
