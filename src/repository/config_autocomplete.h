// Completion of a model's config.pbtxt from its ONNX signature, as Triton (core + ONNX Runtime
// backend) does it, followed by validation. The result is "the completed config" every other
// layer reads (scheduler: batching; lifecycle: versions and instances; front ends: /config).
//
// Triton behaviours matched (from triton-inference-server/core model_config_utils.cc and
// onnxruntime_backend src/onnxruntime.cc):
//  - name defaults to the model folder's name; backend "onnxruntime" and platform
//    "onnxruntime_onnx" are filled, and default_model_filename "model.onnx".
//  - Inputs/outputs are filled from the model only when auto-complete is on and the config lacks
//    inputs or lacks outputs. When a config gives both, Triton skips auto-complete entirely, so
//    max_batch_size stays what the user wrote (0 = no batching) even if the model could batch.
//  - Otherwise (AutoCompleteMaxBatch): the model can batch iff every input and output has rank
//    >= 1 and a -1 first dimension. If it can and max_batch_size is 0, it becomes the default
//    (Triton's --backend-config=onnxruntime,default-max-batch-size, 4 here); if then
//    max_batch_size > 1 and no scheduling is set, an empty dynamic_batching {} is added. A model
//    that cannot batch with max_batch_size != 0 is an error.
//  - Filled dims omit the batch dimension when max_batch_size > 0; a scalar becomes dims [ 1 ]
//    (with reshape { shape: [] } when batching).
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
#include <string>

#include "common/status.h"
#include "core/model_signature.h"
#include "model_config.pb.h"

namespace inferd::repository {

inline constexpr char kOnnxBackend[] = "onnxruntime";
inline constexpr char kOnnxPlatform[] = "onnxruntime_onnx";

struct AutoCompleteOptions {
  std::string model_name;          // the model folder's name
  bool auto_complete = true;       // Triton's --disable-auto-complete-config turns it off
  int default_max_batch_size = 4;  // used only when the model can batch and none is given
  int cpu_cores = 1;               // for DefaultInstanceCount
  int64_t max_instances = 64;      // bound on the total instance count (ValidateInstanceCount)
};

// Instances per group when the config does not say: one per core, at most 4, at least 1.
int DefaultInstanceCount(int cores);

// True when every input and output has rank >= 1 and a variable (-1) first dimension.
bool SignatureSupportsBatching(const core::ModelSignature& signature);

// Completes `config` (an empty config when the model has no config.pbtxt) and validates it on
// its own and against `signature`. InvalidArgument saying what is wrong otherwise.
StatusOr<::inference::ModelConfig> AutoCompleteConfig(const core::ModelSignature& signature,
                                                      const AutoCompleteOptions& options,
                                                      ::inference::ModelConfig config);

}  // namespace inferd::repository
