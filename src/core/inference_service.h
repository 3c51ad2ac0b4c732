// core::InferenceService: the one facade every front end (HTTP, gRPC, ...) calls. Front ends hold
// only their codec and their Status -> protocol mapping; everything else (model resolution,
// request validation, scheduling) sits behind this interface.
//
// Thread-safe: every method may be called concurrently from any IO thread. Infer never blocks on
// inference; it completes through the callback (see response_sink.h), possibly before it returns
// when the request is rejected at once.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/inference_request.h"
#include "core/model_signature.h"
#include "core/model_statistics.h"
#include "core/response_sink.h"
#include "model_config.pb.h"

namespace inferd::core {

struct ServerMetadata {
  std::string name;
  std::string version;
  std::vector<std::string> extensions;
};

// KServe v2 model metadata. Tensor shapes include the batch dimension (-1) when the model batches.
struct ModelMetadata {
  std::string name;
  std::vector<std::string> versions;  // ready versions, ascending
  std::string platform;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  std::map<std::string, std::string> parameters;
  // The version declares an image pipeline (takes an uploaded image: /predict, the console's
  // upload form). Not part of the KServe answer.
  bool image_input = false;
};

// One row of the repository index: a model version (or a model with no version when it could
// not even be scanned) and its state: READY, LOADING, UNLOADING, UNAVAILABLE.
struct RepositoryEntry {
  std::string name;
  std::string version;
  std::string state;
  std::string reason;
  // Artifact identity of a loaded version (empty otherwise): sha256 of its model file and of its
  // effective config.
  std::string model_sha256;
  std::string config_sha256;
};

// Which load of a ready version serves a request now. `generation` is unique per (re)load: it
// changes at every successful load or reload of the version (explicit or by the poller), even one
// that keeps the version as is because its model file and config are unchanged, so anything
// derived from the model's files (pipeline, labels) can be cached under it.
struct LoadedVersion {
  int64_t version = 0;  // resolved: never 0
  uint64_t generation = 0;
};

using StatusCallback = std::function<void(Status)>;

// Repository extension: load (or reload) a model from the repository. `config_json` empty =
// the repository's config.pbtxt; else a JSON ModelConfig that replaces it (Triton's
// `parameters.config`).
struct LoadModelRequest {
  std::string model;
  std::string config_json;
};

class InferenceService {
 public:
  virtual ~InferenceService() = default;

  virtual bool IsLive() const = 0;
  // True when every model the server was asked to serve is ready (strict readiness).
  virtual bool IsReady() const = 0;
  virtual ServerMetadata GetServerMetadata() const = 0;

  // `version` 0 = the highest ready version. OK when ready; NotFound for an unknown model or
  // version; Unavailable when known but not ready.
  virtual Status ModelReady(std::string_view model, int64_t version) const = 0;
  virtual StatusOr<ModelMetadata> GetModelMetadata(std::string_view model,
                                                   int64_t version) const = 0;
  // The completed (auto-completed and defaulted) config of a loaded version.
  virtual StatusOr<::inference::ModelConfig> GetModelConfig(std::string_view model,
                                                            int64_t version) const = 0;
  virtual std::vector<RepositoryEntry> RepositoryIndex(bool ready_only) const = 0;
  // Statistics of every ready version of `model` (`version` 0) or of one version; every ready
  // model's versions when `model` is empty. NotFound for an unknown model or version.
  virtual StatusOr<std::vector<ModelStatistics>> GetModelStatistics(std::string_view model,
                                                                    int64_t version) const = 0;

  // Loads or reloads `request.model`; `done` runs once the new versions are READY (and the
  // replaced ones have been switched away from), or with the reason the load failed.
  // FailedPrecondition when the model control mode does not allow changes. `done` may run on a
  // loader thread, or at once on the caller's thread when the request is refused.
  virtual void LoadModel(LoadModelRequest request, StatusCallback done) = 0;
  // Stops serving every version of `model`; `done` runs once they have drained and unloaded.
  virtual void UnloadModel(std::string model, StatusCallback done) = 0;

  // A cheap hint taken before a request is read (an HTTP head, before its body): false when an
  // inference request for `model` (`version` 0 = the latest ready) would be refused at once as
  // Unavailable: the server refuses new requests or is at --max-inflight, or every queue level
  // of the version is full. True for an unknown model (Infer gives the real answer). Never
  // exact under concurrency; Infer decides. The caller refuses the request on a false answer,
  // so a full queue's false is counted as a rejected request in the version's statistics.
  // Default: always true.
  virtual bool Admits(std::string_view model, int64_t version) const {
    (void)model;
    (void)version;
    return true;
  }

  // Validates and schedules the request; `done` is called exactly once.
  virtual void Infer(std::unique_ptr<InferenceRequest> request, ResponseCallback done) = 0;
};

}  // namespace inferd::core
