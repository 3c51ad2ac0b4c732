// The TF Serving REST API (tensorflow_serving/g3doc/api_rest.md) over the core facade:
//   POST /v1/models/{m}[/versions/{v} | /labels/{l}]:predict   row or columnar predict
//   GET  /v1/models/{m}[/versions/{v} | /labels/{l}]           model status
//   GET  /v1/models/{m}[/versions/{v} | /labels/{l}]/metadata  signature_def metadata
// :classify and :regress (tf.Example inputs) answer 501. Errors are {"error": "..."} with TF
// Serving's status codes; a path or method it does not know is 400 "Malformed request", as TF
// Serving answers. Version labels come from the model config's `parameters` map, key
// "version_labels", value "stable=1,canary=2" (Triton ignores parameters it does not use).
// Thread-safe (the facade is); predict completes on the thread that finishes inference.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/inference_service.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "model_config.pb.h"

namespace inferd::frontend::http {

// A routed /v1/models/... call: the path's segments (still URL-encoded) and what it asks for.
struct TfsRoute {
  std::string_view model;
  std::optional<std::string_view> version;  // /versions/{v}
  std::optional<std::string_view> label;    // /labels/{l}
  std::string_view verb;                    // "predict", "classify", "regress"; "" = status
  bool metadata = false;                    // .../metadata
};

void HandleTfServing(core::InferenceService& service, const DecodeLimits& limits,
                     std::shared_ptr<const HttpRequest> request, const TfsRoute& route,
                     core::CancellationToken cancel, Respond respond);

// TF Serving's answer to a path or method it does not know: 400 "Malformed request: GET /v1/x".
HttpResponse TfsMalformed(const HttpRequest& request, std::string_view path);

// The config parameter holding a model's version labels.
inline constexpr char kVersionLabelsParameter[] = "version_labels";

// The version `label` names in `config`'s version labels. InvalidArgument for an unknown label
// (TF Serving's "Unrecognized servable version label") or a malformed parameter.
StatusOr<int64_t> VersionForLabel(const ::inference::ModelConfig& config, std::string_view label);

}  // namespace inferd::frontend::http
