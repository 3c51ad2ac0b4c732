// Maps a KServe v2 REST request (method + path) to its handler. Knows URLs, methods and
// URL-decoding; knows nothing about sockets. 404 {"error":"Not Found"} for unknown paths, 405
// for a known path with the wrong method. Thread-safe (stateless besides the facade it calls);
// the facade must outlive the router.
#pragma once

#include <memory>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/predict_handler.h"

namespace inferd::frontend::http {

class Router {
 public:
  Router(core::InferenceService& service, DecodeLimits limits, PredictOptions predict = {});

  // Calls `respond` exactly once: inline for everything but inference, from the completing
  // thread for inference.
  // `cancel` is set by the connection when its client goes away; inference requests carry it.
  void Handle(std::shared_ptr<const HttpRequest> request, Respond respond,
              core::CancellationToken cancel = nullptr);

 private:
  core::InferenceService& service_;
  DecodeLimits limits_;
  PredictOptions predict_;
};

}  // namespace inferd::frontend::http
