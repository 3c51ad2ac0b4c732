// Maps a REST request (method + path) to its handler: KServe v2 (/v2/...), and the TF Serving
// (/v1/...) and TorchServe dialects. Knows URLs, methods and URL-decoding; knows nothing about
// sockets. 404 {"error":"Not Found"} for unknown paths, 405 for a known path with the wrong
// method. Thread-safe (its only state, TorchServe's default versions, is); the facade must
// outlive the router.
#pragma once

#include <memory>

#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/predict_handler.h"
#include "frontend/http/torchserve_defaults.h"
#include "metrics/request_trace.h"

namespace inferd::frontend::http {

class Router {
 public:
  // `tracer` (may be null) serves /v2/trace/setting; `predict` serves /predict (image models).
  Router(core::InferenceService& service, DecodeLimits limits, metrics::Tracer* tracer = nullptr,
         PredictOptions predict = {});

  // Calls `respond` exactly once: inline for most calls; from the completing thread for
  // inference and repository load/unload.
  // `cancel` is set by the connection when its client goes away; inference requests carry it.
  void Handle(std::shared_ptr<const HttpRequest> request, Respond respond,
              core::CancellationToken cancel = nullptr);

 private:
  core::InferenceService& service_;
  DecodeLimits limits_;
  metrics::Tracer* tracer_;
  TorchServeDefaults torchserve_defaults_;
  PredictOptions predict_;
};

}  // namespace inferd::frontend::http
