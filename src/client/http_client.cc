#include "client/http_client.h"

#include "client/tls_stream.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "client/http_codec.h"
#include "client/retry.h"
#include "common/content_coding.h"

namespace inferd::client {
namespace {

const std::map<std::string, std::string> kJsonHeaders = {{"Content-Type", "application/json"}};

// Largest response body the client inflates (it trusts its server, but not without bound).
constexpr size_t kMaxDecodedResponse = size_t{4} << 30;

StatusOr<ContentCoding> CompressionAlgorithm(const std::string& name) {
  if (name.empty()) return ContentCoding::kIdentity;
  const auto coding = ParseContentEncoding(name);
  if (!coding.has_value() || name == "x-gzip") {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported compression algorithm '", name, "' (gzip, deflate or none)"));
  }
  return *coding;
}

// The infer request's headers, and its body compressed as `options` ask.
StatusOr<std::map<std::string, std::string>> PrepareInferBody(const InferOptions& options,
                                                              HttpInferBody& encoded) {
  std::map<std::string, std::string> headers = kJsonHeaders;
  if (encoded.json_size != 0) {
    headers = {{"Inference-Header-Content-Length", std::to_string(encoded.json_size)},
               {"Content-Type", "application/octet-stream"}};
  }
  ASSIGN_OR_RETURN(const ContentCoding request,
                   CompressionAlgorithm(options.request_compression_algorithm));
  ASSIGN_OR_RETURN(const ContentCoding response,
                   CompressionAlgorithm(options.response_compression_algorithm));
  if (request != ContentCoding::kIdentity) {
    ASSIGN_OR_RETURN(encoded.body, EncodeContent(request, encoded.body, /*level=*/1));
    headers["Content-Encoding"] = ContentCodingName(request);
  }
  if (response != ContentCoding::kIdentity)
    headers["Accept-Encoding"] = ContentCodingName(response);
  return headers;
}

StatusOr<InferResult> DecodeAnswer(HttpResponse& response) {
  if (auto coding = response.headers.find("content-encoding"); coding != response.headers.end()) {
    const auto parsed = ParseContentEncoding(coding->second);
    if (!parsed.has_value()) {
      return absl::InternalError(absl::StrCat(
          "the server answered with an unknown Content-Encoding '", coding->second, "'"));
    }
    ASSIGN_OR_RETURN(response.body, DecodeContent(*parsed, response.body, kMaxDecodedResponse));
  }
  RETURN_IF_ERROR(StatusFromHttp(response.status, response.body));
  auto length = response.headers.find("inference-header-content-length");
  return DecodeInferResponse(response.body, length == response.headers.end() ? "" : length->second);
}

struct HttpPreparedInfer : PreparedInfer {
  std::string bytes;  // the serialized HTTP/1.1 request
};

}  // namespace

HttpClient::HttpClient(const ClientOptions& options)
    : options_(options), address_(ParseUrl(options.url, 8000)), tls_(MakeTlsConfig(options)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpConnection> HttpClient::Acquire() {
  {
    absl::MutexLock lock(&mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return std::make_unique<HttpConnection>(address_.host, address_.port, options_.request_timeout,
                                          options_.connect_timeout, tls_);
}

void HttpClient::Release(std::unique_ptr<HttpConnection> connection) {
  absl::MutexLock lock(&mutex_);
  idle_.push_back(std::move(connection));
}

StatusOr<HttpResponse> HttpClient::Call(std::string_view method, const std::string& target,
                                        std::string_view body,
                                        const std::map<std::string, std::string>& headers,
                                        Retry retry) {
  const int attempts = retry == Retry::kNever ? 1 : std::max(1, options_.retry.max_attempts);
  Backoff backoff(options_.retry);
  for (int attempt = 1;; ++attempt) {
    auto connection = Acquire();
    auto response = connection->Request(method, target, body, headers);
    Release(std::move(connection));
    int retry_after = -1;
    bool retryable = false;
    if (!response.ok()) {
      // A broken connection may have delivered the request: only idempotent calls are resent.
      retryable = retry == Retry::kIdempotent && absl::IsUnavailable(response.status());
    } else if (response->status == 503) {
      retry_after = ParseRetryAfter(response->headers);
      retryable = retry == Retry::kIdempotent || retry_after >= 0;
    }
    if (!retryable || attempt >= attempts) return response;
    std::this_thread::sleep_for(backoff.Next(retry_after));
  }
}

StatusOr<std::string> HttpClient::CallOk(std::string_view method, const std::string& target,
                                         const std::string& body, Retry retry) {
  ASSIGN_OR_RETURN(
      auto response,
      Call(method, target, body,
           method == "POST" ? kJsonHeaders : std::map<std::string, std::string>{}, retry));
  RETURN_IF_ERROR(StatusFromHttp(response.status, response.body));
  return std::move(response.body);
}

StatusOr<bool> HttpClient::Probe(const std::string& target) {
  ASSIGN_OR_RETURN(auto response, Call("GET", target, "", {}, Retry::kIdempotent));
  if (response.status == 200) return true;
  // Not ready is an answer, not an error; an unknown model is NotFound.
  if (response.status == 400 || response.status == 503) return false;
  RETURN_IF_ERROR(StatusFromHttp(response.status, response.body));
  return false;
}

StatusOr<bool> HttpClient::IsServerLive() { return Probe("/v2/health/live"); }
StatusOr<bool> HttpClient::IsServerReady() { return Probe("/v2/health/ready"); }

StatusOr<bool> HttpClient::IsModelReady(const std::string& model, const std::string& version) {
  auto ready = Probe(ModelTarget(model, version, "ready"));
  // Triton answers an unknown model's readiness with 400 or 404: both mean "not ready".
  if (!ready.ok() && absl::IsNotFound(ready.status())) return false;
  return ready;
}

StatusOr<ServerMetadata> HttpClient::GetServerMetadata() {
  ASSIGN_OR_RETURN(auto body, CallOk("GET", "/v2"));
  return ParseServerMetadata(body);
}

StatusOr<ModelMetadata> HttpClient::GetModelMetadata(const std::string& model,
                                                     const std::string& version) {
  ASSIGN_OR_RETURN(auto body, CallOk("GET", ModelTarget(model, version, "")));
  return ParseModelMetadata(body);
}

StatusOr<ModelConfig> HttpClient::GetModelConfig(const std::string& model,
                                                 const std::string& version) {
  ASSIGN_OR_RETURN(auto body, CallOk("GET", ModelTarget(model, version, "config")));
  return ParseModelConfig(std::move(body));
}

StatusOr<std::vector<RepositoryModel>> HttpClient::RepositoryIndex(bool ready_only) {
  ASSIGN_OR_RETURN(auto body,
                   CallOk("POST", "/v2/repository/index", ready_only ? R"({"ready":true})" : "{}"));
  return ParseRepositoryIndex(body);
}

Status HttpClient::LoadModel(const std::string& model, const std::string& config_json) {
  return CallOk("POST", RepositoryTarget(model, "load"), LoadRequestBody(config_json),
                Retry::kNever)
      .status();
}

Status HttpClient::UnloadModel(const std::string& model) {
  return CallOk("POST", RepositoryTarget(model, "unload"), "{}", Retry::kNever).status();
}

StatusOr<std::vector<ModelStatistics>> HttpClient::GetModelStatistics(const std::string& model,
                                                                      const std::string& version) {
  const std::string target =
      model.empty() ? "/v2/models/stats" : ModelTarget(model, version, "stats");
  ASSIGN_OR_RETURN(auto body, CallOk("GET", target));
  return ParseModelStatistics(body);
}

StatusOr<InferResult> HttpClient::Infer(const InferOptions& options,
                                        const std::vector<InferInput>& inputs,
                                        const std::vector<InferRequestedOutput>& outputs) {
  ASSIGN_OR_RETURN(auto encoded,
                   EncodeInferRequest(options, inputs, outputs, options_.binary_data));
  ASSIGN_OR_RETURN(auto headers, PrepareInferBody(options, encoded));
  const Retry retry = options_.retry.retry_infer ? Retry::kOnlyRetryAfter : Retry::kNever;
  ASSIGN_OR_RETURN(auto response,
                   Call("POST", ModelTarget(options.model_name, options.model_version, "infer"),
                        encoded.body, headers, retry));
  return DecodeAnswer(response);
}

StatusOr<PredictResult> HttpClient::Predict(const std::string& model, const std::string& version,
                                            std::string_view image) {
  static const std::map<std::string, std::string> kImageHeaders = {
      {"Content-Type", "application/octet-stream"}};
  const Retry retry = options_.retry.retry_infer ? Retry::kOnlyRetryAfter : Retry::kNever;
  ASSIGN_OR_RETURN(auto response,
                   Call("POST", PredictTarget(model, version), image, kImageHeaders, retry));
  RETURN_IF_ERROR(StatusFromHttp(response.status, response.body));
  return ParsePredictResponse(response.body);
}

AsyncHttp& HttpClient::Async() {
  absl::MutexLock lock(&mutex_);
  if (async_ == nullptr) {
    async_ = std::make_unique<AsyncHttp>(address_.host, address_.port, options_.connect_timeout,
                                         options_.request_timeout, options_.max_connections, tls_);
  }
  return *async_;
}

void HttpClient::AsyncInfer(InferCallback callback, const InferOptions& options,
                            const std::vector<InferInput>& inputs,
                            const std::vector<InferRequestedOutput>& outputs) {
  auto encoded = EncodeInferRequest(options, inputs, outputs, options_.binary_data);
  if (!encoded.ok()) return callback(encoded.status());
  auto headers = PrepareInferBody(options, *encoded);
  if (!headers.ok()) return callback(headers.status());
  Async().Post(ModelTarget(options.model_name, options.model_version, "infer"),
               std::move(encoded->body), *std::move(headers),
               [callback = std::move(callback)](StatusOr<HttpResponse> response) {
                 if (!response.ok()) return callback(response.status());
                 callback(DecodeAnswer(*response));
               });
}

StatusOr<std::shared_ptr<const PreparedInfer>> HttpClient::PrepareInfer(
    const InferOptions& options, const std::vector<InferInput>& inputs,
    const std::vector<InferRequestedOutput>& outputs) {
  ASSIGN_OR_RETURN(auto encoded,
                   EncodeInferRequest(options, inputs, outputs, options_.binary_data));
  ASSIGN_OR_RETURN(const auto headers, PrepareInferBody(options, encoded));
  auto prepared = std::make_shared<HttpPreparedInfer>();
  std::string& out = prepared->bytes;
  out.reserve(encoded.body.size() + 256);
  absl::StrAppend(&out, "POST ", ModelTarget(options.model_name, options.model_version, "infer"),
                  " HTTP/1.1\r\nHost: ", address_.host, "\r\n");
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&out, name, ": ", value, "\r\n");
  }
  absl::StrAppend(&out, "Content-Length: ", encoded.body.size(), "\r\n\r\n", encoded.body);
  return std::shared_ptr<const PreparedInfer>(std::move(prepared));
}

void HttpClient::AsyncInferPrepared(std::shared_ptr<const PreparedInfer> request,
                                    StatusCallback callback) {
  const auto* http = dynamic_cast<const HttpPreparedInfer*>(request.get());
  if (http == nullptr) return InferenceClient::AsyncInferPrepared(std::move(request), callback);
  // Aliasing: the bytes stay alive as long as the prepared request, with no allocation.
  std::shared_ptr<const std::string> bytes(std::move(request), &http->bytes);
  Async().PostRaw(std::move(bytes),
                  [callback = std::move(callback)](StatusOr<HttpResponse> response) {
                    if (!response.ok()) return callback(response.status());
                    callback(StatusFromHttp(response->status, response->body));
                  });
}

}  // namespace inferd::client
