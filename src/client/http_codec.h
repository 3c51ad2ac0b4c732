// The KServe v2 REST encoding of the client's requests and the decoding of the server's answers:
// inference bodies (binary tensor extension or JSON), error bodies, and the JSON of metadata,
// configuration, repository index and statistics. Pure functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/client_options.h"
#include "client/infer_types.h"
#include "common/status.h"

namespace inferd::client {

struct HttpInferBody {
  std::string body;
  size_t json_size = 0;  // the Inference-Header-Content-Length; 0 = the body is JSON only
};

// "/v2/models/<m>[/versions/<v>][/<action>]" with the name percent-encoded.
std::string ModelTarget(const std::string& model, const std::string& version,
                        std::string_view action);

// "/predict/<m>[/versions/<v>]" (the image endpoint), the names percent-encoded.
std::string PredictTarget(const std::string& model, const std::string& version);

// "/v2/repository/models/<m>/<action>" (action: load, unload), the name percent-encoded.
std::string RepositoryTarget(const std::string& model, std::string_view action);

StatusOr<HttpInferBody> EncodeInferRequest(const InferOptions& options,
                                           const std::vector<InferInput>& inputs,
                                           const std::vector<InferRequestedOutput>& outputs,
                                           bool binary);
// `header_length` is the response's Inference-Header-Content-Length ("" when absent).
StatusOr<InferResult> DecodeInferResponse(std::string_view body, std::string_view header_length);

// OK for 2xx; otherwise the Status the HTTP code stands for, with the body's "error" message.
Status StatusFromHttp(int status, std::string_view body);
// Seconds of a Retry-After header; -1 when absent or not a number of seconds.
int ParseRetryAfter(const std::map<std::string, std::string>& headers);

StatusOr<ServerMetadata> ParseServerMetadata(std::string_view body);
StatusOr<ModelMetadata> ParseModelMetadata(std::string_view body);
StatusOr<ModelConfig> ParseModelConfig(std::string body);
StatusOr<std::vector<RepositoryModel>> ParseRepositoryIndex(std::string_view body);
StatusOr<std::vector<ModelStatistics>> ParseModelStatistics(std::string_view body);
// {"model", "version", "predictions": [{"label", "index", "score"}]}; Internal when the
// body is not that shape.
StatusOr<PredictResult> ParsePredictResponse(std::string_view body);
// {"parameters":{"config":"<json>"}} or "{}".
std::string LoadRequestBody(const std::string& config_json);

}  // namespace inferd::client
