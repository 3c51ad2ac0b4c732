// The backend interface: Backend (one per runtime, process-wide) loads a Model (one per model
// version), which creates Instances (one per configured instance; each owns its own session).
// The scheduler calls Instance::Execute with whole batches; batching itself is not a backend's
// concern.
//
// Thread-safety: Backend and Model are thread-safe. An Instance is used by one thread at a time
// (the scheduler's worker for that instance). Backends never throw: runtime exceptions are caught
// inside the backend and returned as Status.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_signature.h"
#include "core/tensor.h"
#include "model_config.pb.h"

namespace inferd::backend {

class Instance {
 public:
  virtual ~Instance() = default;
  // Runs the model. `inputs` carry full shapes (batch dimension included). Returns the outputs
  // named in `output_names`, in that order (every model output, in model order, when empty).
  // Output tensors own their memory (Tensor::owner).
  // Requests are validated once, before they are queued, by core::ValidateRequest against the
  // completed config (names, types, shapes, byte sizes, requested outputs); a backend does not
  // check them again. An input the config marks `optional: true` may be absent from `inputs`
  // (Triton's semantics): the backend runs without it, or fails naming it if the model needs it.
  virtual StatusOr<std::vector<core::Tensor>> Execute(
      std::span<const core::Tensor> inputs, std::span<const std::string> output_names) = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  // Creates the `index`-th instance (a fresh session). Called by the loader, possibly in parallel.
  virtual StatusOr<std::unique_ptr<Instance>> CreateInstance(int index) = 0;
  // The model file's inputs and outputs, read while loading: config auto-complete takes them from
  // here, so a version load opens the file once rather than once more just for its signature.
  virtual std::shared_ptr<const core::ModelSignature> signature() const = 0;
};

struct ModelSpec {
  std::string name;
  int64_t version = 0;
  std::filesystem::path model_file;
  // The settings the backend applies (parameters, optimization, instance kinds). May be the
  // config before auto-complete, which fills inputs, outputs and batching but never those.
  ::inference::ModelConfig config;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view Name() const = 0;
  // Reads a model file's inputs and outputs without loading it for inference (tools and tests;
  // a version load takes them from Model::signature()).
  virtual StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path& model_file) = 0;
  virtual StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) = 0;
};

}  // namespace inferd::backend
