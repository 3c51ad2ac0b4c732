#include "frontend/http/torchserve_image_hook.h"

#include <utility>

#include "frontend/http/torchserve_status.h"

namespace inferd::frontend::http {

// TODO(lead): route to the model's preprocessing pipeline (src/preprocess) once it is merged:
// decode + preprocess `request->body()`, Infer, and answer the post-processed result.
void HandleTorchServeImage(core::InferenceService& /*service*/,
                           std::shared_ptr<const HttpRequest> /*request*/, std::string /*model*/,
                           int64_t /*version*/, core::CancellationToken /*cancel*/,
                           Respond respond) {
  std::move(respond)(TorchServeError(
      boost::beast::http::status::unsupported_media_type, "BadRequestException",
      "image input needs a preprocessing pipeline: this server takes JSON tensors here "
      "(Content-Type: application/json)"));
}

}  // namespace inferd::frontend::http
