// The KServe v2 gRPC implementation of InferenceClient (inference.GRPCInferenceService, see
// inference_client.h for the contract). Tensors travel as raw contents
// (raw_input_contents / raw_output_contents). Adds bidirectional streaming inference.
//
// Thread-safe. One channel per client (HTTP/2 multiplexes concurrent calls on it); asynchronous
// callbacks and stream callbacks run on gRPC's threads and must not block. The destructor waits
// for outstanding asynchronous calls and closes an open stream.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/inference_client.h"

namespace inferd::client {

class GrpcClient : public InferenceClient {
 public:
  explicit GrpcClient(const ClientOptions& options);
  ~GrpcClient() override;

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
  // The ModelInferRequest is serialized once into a refcounted buffer; a send is a generic call
  // with that buffer, and the answer is not deserialized (its status is the outcome).
  StatusOr<std::shared_ptr<const PreparedInfer>> PrepareInfer(
      const InferOptions& options, const std::vector<InferInput>& inputs,
      const std::vector<InferRequestedOutput>& outputs) override;
  void AsyncInferPrepared(std::shared_ptr<const PreparedInfer> request,
                          StatusCallback callback) override;

  // Streaming (ModelStreamInfer): every response, or a per-request error, goes to `callback`
  // (matched to its request by InferOptions::request_id). One stream per client at a time;
  // FailedPrecondition if one is open.
  Status StartStream(InferCallback callback);
  // Queues one request on the open stream; FailedPrecondition if none is open.
  Status AsyncStreamInfer(const InferOptions& options, const std::vector<InferInput>& inputs,
                          const std::vector<InferRequestedOutput>& outputs = {});
  // Half-closes the stream, waits for the remaining responses, and returns the stream's status.
  Status StopStream();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inferd::client
