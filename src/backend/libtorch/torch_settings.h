// Settings of the libtorch backend, parsed from a model config with the parameter names of
// Triton's pytorch backend, so existing Triton configs keep their meaning. Pure functions, no
// torch types: parsed once per model, before libtorch is loaded.
//
// Parameters (ModelConfig.parameters, string_value; booleans are "true"/"false"/"1"/"0"):
//   INTRA_OP_THREAD_COUNT        threads of each instance's intra-op pool (unset or 0: libtorch's
//                                default, one per core)
//   INTER_OP_THREAD_COUNT        libtorch's inter-op pool, one per process: the first model that
//                                sets it fixes it; a later model asking for another size fails
//   INFERENCE_MODE               run under c10::InferenceMode (default true) or NoGradGuard
//   DISABLE_OPTIMIZED_EXECUTION  turn TorchScript's graph optimiser off (default false)
//   ENABLE_JIT_EXECUTOR, ENABLE_JIT_PROFILING, ENABLE_TENSOR_FUSER  libtorch's process-wide JIT
//                                switches, set before each call of a model that sets them
//   ENABLE_WEIGHT_SHARING        instances share one loaded module (default false)
//   ENABLE_CACHE_CLEANING, DISABLE_CUDNN, ENABLE_NVFUSER  CUDA settings: accepted (a Triton
//                                config loads unchanged) and without effect on the CPU
// Other parameters are ignored: they may belong to other layers.
#pragma once

#include "backend/libtorch/torch_runtime.h"
#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::backend::libtorch {

struct TorchSettings {
  ExecutionOptions execution;
  int inter_op_threads = 0;  // 0: leave libtorch's default
  bool weight_sharing = false;
};

// InvalidArgument naming the parameter when a value does not parse or is out of range.
StatusOr<TorchSettings> ParseTorchSettings(const ::inference::ModelConfig& config);

}  // namespace inferd::backend::libtorch
