// inferd's C++ client library: one interface over KServe v2 HTTP/REST and gRPC.
//
//   auto client = inferd::client::CreateClient(Protocol::kHttp, {.url = "localhost:8000"});
//   InferInput x("INPUT0", {1, 16}, "INT32");
//   x.SetData(std::vector<int32_t>(16, 1));
//   auto result = (*client)->Infer(InferOptions("simple"), {x});
//   auto sum = result->As<int32_t>("OUTPUT0");
//
// Errors are Status codes mapped from the protocol: NotFound (404 / NOT_FOUND), InvalidArgument
// (400), Unavailable (503, or no connection), DeadlineExceeded (the request timeout),
// FailedPrecondition, Internal (500), with the server's message.
//
// Thread-safe: any number of threads may call any method concurrently (HTTP keeps a pool of
// keep-alive connections, gRPC multiplexes one channel). Asynchronous callbacks run on the
// client's own IO thread (HTTP) or gRPC's callback threads: they must not block. Destroying the
// client waits for outstanding asynchronous calls to complete (or time out).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/client_options.h"
#include "client/infer_types.h"
#include "common/status.h"

namespace inferd::client {

using InferCallback = std::function<void(StatusOr<InferResult>)>;
using StatusCallback = std::function<void(Status)>;

// An inference request encoded once for one client's protocol, to be sent any number of times
// (a load generator's samples): sending it then costs the transport alone, with no re-encoding
// and no copy of the tensor bytes. Immutable and shareable between threads; made by, and only
// valid with, the client that prepared it (or one of the same protocol and server).
class PreparedInfer {
 public:
  virtual ~PreparedInfer() = default;
};

class InferenceClient {
 public:
  virtual ~InferenceClient() = default;

  virtual StatusOr<bool> IsServerLive() = 0;
  virtual StatusOr<bool> IsServerReady() = 0;
  virtual StatusOr<bool> IsModelReady(const std::string& model,
                                      const std::string& version = "") = 0;
  virtual StatusOr<ServerMetadata> GetServerMetadata() = 0;
  virtual StatusOr<ModelMetadata> GetModelMetadata(const std::string& model,
                                                   const std::string& version = "") = 0;
  virtual StatusOr<ModelConfig> GetModelConfig(const std::string& model,
                                               const std::string& version = "") = 0;
  virtual StatusOr<std::vector<RepositoryModel>> RepositoryIndex(bool ready_only = false) = 0;
  // `config_json` (optional) overrides the model's configuration for this load.
  virtual Status LoadModel(const std::string& model, const std::string& config_json = "") = 0;
  virtual Status UnloadModel(const std::string& model) = 0;
  // Empty model = every model; empty version = every version.
  virtual StatusOr<std::vector<ModelStatistics>> GetModelStatistics(
      const std::string& model = "", const std::string& version = "") = 0;

  virtual StatusOr<InferResult> Infer(const InferOptions& options,
                                      const std::vector<InferInput>& inputs,
                                      const std::vector<InferRequestedOutput>& outputs = {}) = 0;
  // Returns at once; `callback` is called exactly once with the result or the error.
  virtual void AsyncInfer(InferCallback callback, const InferOptions& options,
                          const std::vector<InferInput>& inputs,
                          const std::vector<InferRequestedOutput>& outputs = {}) = 0;

  // Encodes a request once for AsyncInferPrepared (InvalidArgument as Infer for bad inputs).
  virtual StatusOr<std::shared_ptr<const PreparedInfer>> PrepareInfer(
      const InferOptions& options, const std::vector<InferInput>& inputs,
      const std::vector<InferRequestedOutput>& outputs = {});
  // Sends a prepared request; `callback` gets OK when the server answered it successfully, or the
  // error. The outputs are not decoded (a load generator only needs the outcome). Returns at
  // once; `callback` is called exactly once, as AsyncInfer's. The request is kept alive by the
  // call. InvalidArgument if `request` was prepared by a client of another protocol.
  virtual void AsyncInferPrepared(std::shared_ptr<const PreparedInfer> request,
                                  StatusCallback callback);
};

StatusOr<std::unique_ptr<InferenceClient>> CreateClient(Protocol protocol,
                                                        const ClientOptions& options);
// "http" or "grpc" (as perf_analyzer's -i); InvalidArgument otherwise.
StatusOr<Protocol> ParseProtocol(const std::string& name);

}  // namespace inferd::client
