// Completion of a model's config.pbtxt, as Triton's core does it, followed by validation. The
// result is "the completed config" every other layer reads (scheduler: batching; lifecycle:
// versions and instances; front ends: /config). What the model file itself says (inputs,
// outputs, whether it batches) is the model's backend's part: the caller passes it in as
// `backend_auto_complete` (from the backend registry), so this layer never depends on backend/.
//
// Triton behaviours matched (from triton-inference-server/core model_config_utils.cc):
//  - name defaults to the model folder's name (a different name is an error).
//  - The backend's part runs only when auto-complete is on and the config lacks inputs or lacks
//    outputs. When a config gives both, Triton skips auto-complete entirely, so max_batch_size
//    stays what the user wrote (0 = no batching) even if the model could batch.
//  - Always (NormalizeModelConfig / NormalizeInstanceGroup): version_policy defaults to
//    latest { num_versions: 1 }; dynamic_batching without preferred sizes gets
//    [ max_batch_size ]; no instance_group -> one group named "<model>"; an unnamed group i is
//    named "<model>_<i>"; a group without count gets the default count. Difference from Triton:
//    Triton's default CPU count for ONNX is 2, inferd's is DefaultInstanceCount(cores); KIND_AUTO
//    is left for the backend to resolve.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "core/model_signature.h"
#include "model_config.pb.h"

namespace inferd::repository {

struct AutoCompleteOptions {
  std::string model_name;          // the model folder's name
  bool auto_complete = true;       // Triton's --disable-auto-complete-config turns it off
  int default_max_batch_size = 4;  // for the backend's part: a model that batches, none given
  int cpu_cores = 1;               // for DefaultInstanceCount
  int64_t max_instances = 64;      // bound on the total instance count (ValidateInstanceCount)
};

// Instances per group when the config does not say: one per core, at most 4, at least 1.
int DefaultInstanceCount(int cores);

// The model's backend's part of completion: fills inputs, outputs and batching from the model
// file (null: nothing to fill, the config must declare them).
using BackendAutoComplete = std::function<Status(::inference::ModelConfig&)>;

// Completes `config` (an empty config when the model has no config.pbtxt) and validates it on
// its own and against `signature`. InvalidArgument saying what is wrong otherwise.
StatusOr<::inference::ModelConfig> AutoCompleteConfig(
    const core::ModelSignature& signature, const AutoCompleteOptions& options,
    ::inference::ModelConfig config, const BackendAutoComplete& backend_auto_complete);

}  // namespace inferd::repository
