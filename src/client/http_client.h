// The KServe v2 HTTP/REST implementation of InferenceClient (see inference_client.h for the
// contract). Synchronous calls use a pool of blocking keep-alive connections (one per calling
// thread at a time); asynchronous inference runs on one IO thread (AsyncHttp), started on first
// use. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/async_http.h"
#include "client/http_connection.h"
#include "client/inference_client.h"

namespace inferd::client {

class HttpClient : public InferenceClient {
 public:
  explicit HttpClient(const ClientOptions& options);
  ~HttpClient() override;

  StatusOr<bool> IsServerLive() override;
  StatusOr<bool> IsServerReady() override;
  StatusOr<bool> IsModelReady(const std::string& model, const std::string& version) override;
  StatusOr<ServerMetadata> GetServerMetadata() override;
  StatusOr<ModelMetadata> GetModelMetadata(const std::string& model,
                                           const std::string& version) override;
  StatusOr<ModelConfig> GetModelConfig(const std::string& model,
                                       const std::string& version) override;
  StatusOr<std::vector<RepositoryModel>> RepositoryIndex(bool ready_only) override;
  Status LoadModel(const std::string& model, const std::string& config_json) override;
  Status UnloadModel(const std::string& model) override;
  StatusOr<std::vector<ModelStatistics>> GetModelStatistics(const std::string& model,
                                                            const std::string& version) override;
  StatusOr<InferResult> Infer(const InferOptions& options, const std::vector<InferInput>& inputs,
                              const std::vector<InferRequestedOutput>& outputs) override;
  void AsyncInfer(InferCallback callback, const InferOptions& options,
                  const std::vector<InferInput>& inputs,
                  const std::vector<InferRequestedOutput>& outputs) override;
  // The whole HTTP request (headers and body) is serialized once; a send writes those bytes and
  // parses only the answer's status line and headers (the body is counted, not stored).
  StatusOr<std::shared_ptr<const PreparedInfer>> PrepareInfer(
      const InferOptions& options, const std::vector<InferInput>& inputs,
      const std::vector<InferRequestedOutput>& outputs) override;
  void AsyncInferPrepared(std::shared_ptr<const PreparedInfer> request,
                          StatusCallback callback) override;

  // The image endpoint (HTTP only): POST /predict/{model}[/versions/{version}] with the encoded
  // image (JPEG or PNG) as the raw body; the server runs the model's declared pipeline
  // (docs/preprocessing.md). InvalidArgument (400) for a bad image or a model without a
  // pipeline, NotFound for an unknown model. Retried as Infer is (options.retry.retry_infer).
  StatusOr<PredictResult> Predict(const std::string& model, const std::string& version,
                                  std::string_view image);

 private:
  enum class Retry { kIdempotent, kOnlyRetryAfter, kNever };

  // One request with the retry policy applied; a non-2xx answer is returned, not an error.
  StatusOr<HttpResponse> Call(std::string_view method, const std::string& target,
                              std::string_view body,
                              const std::map<std::string, std::string>& headers, Retry retry);
  // Call + StatusFromHttp: the body of a 2xx answer.
  StatusOr<std::string> CallOk(std::string_view method, const std::string& target,
                               const std::string& body = "", Retry retry = Retry::kIdempotent);
  // 200 = true, 400/404/503 (the server's "not ready") = false.
  StatusOr<bool> Probe(const std::string& target);
  std::unique_ptr<HttpConnection> Acquire();
  void Release(std::unique_ptr<HttpConnection> connection);
  AsyncHttp& Async();

  const ClientOptions options_;
  const HostPort address_;
  const std::shared_ptr<TlsConfig> tls_;  // null = plain HTTP
  absl::Mutex mutex_;
  std::vector<std::unique_ptr<HttpConnection>> idle_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<AsyncHttp> async_ ABSL_GUARDED_BY(mutex_);  // created on first use
};

}  // namespace inferd::client
