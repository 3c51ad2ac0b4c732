// TF Serving REST predict bodies <-> inferd tensors, and TF Serving's Status -> HTTP mapping.
//
// Request: {"signature_name"?: s, "instances": [...]} (row format: one element per batch row,
// a bare value for a single-input model or an object of named inputs per row, stacked along a
// new first dimension) or {"inputs": v} (columnar: a bare value for a single-input model or an
// object of named inputs, each the whole tensor). Element types come from the model's inputs;
// BYTES elements may be {"b64": ...}. `signature_name` is accepted and ignored: an inferd model
// has one signature.
// Response: {"predictions": [...]} (row) or {"outputs": ...} (columnar), a single output's name
// unwrapped, as TF Serving shapes them. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/inference_response.h"
#include "core/model_signature.h"
#include "core/tensor.h"
#include "frontend/http/http_message.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/json_tensor.h"
#include "rapidjson/document.h"

namespace inferd::frontend::http {

enum class TfsFormat { kRow, kColumnar };

struct TfsPredictRequest {
  std::vector<core::Tensor> inputs;
  TfsFormat format = TfsFormat::kRow;
  int64_t batch_size = 0;  // row format: the number of instances
};

// `inputs` are the model's inputs (names and element types).
StatusOr<TfsPredictRequest> DecodeTfsPredictRequest(std::string_view body,
                                                    const std::vector<core::TensorSpec>& inputs,
                                                    const DecodeLimits& limits);

StatusOr<std::string> EncodeTfsPredictResponse(const core::InferenceResponse& response,
                                               TfsFormat format, int64_t batch_size);

// The columnar value shared with the TorchServe dialect: a bare value for a single-input model,
// else an object {input name: value}. Unknown names are InvalidArgument.
StatusOr<std::vector<core::Tensor>> DecodeColumnarValue(
    rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator,
    const std::vector<core::TensorSpec>& inputs, int64_t max_elements);
// A single output as its bare value, several as an object {output name: value}.
Status WriteColumnarValue(const std::vector<core::Tensor>& outputs, JsonWriter& writer);

// TF Serving's HTTP status for a Status (tensorflow_serving/model_servers/http_server.cc).
boost::beast::http::status TfsHttpStatus(const Status& status);
// {"error": message} with TF Serving's status code.
HttpResponse TfsErrorResponse(const Status& status);

}  // namespace inferd::frontend::http
