// Where the instances of an ONNX Runtime model run, from its instance groups (Triton's kinds).
//
//   KIND_CPU, KIND_AUTO (without `gpus`)  the CPU. KIND_AUTO never picks a GPU by itself: a model
//                                         moves to a GPU only when its config says so.
//   KIND_GPU, or KIND_AUTO with `gpus`     ONNX Runtime's CUDA execution provider, on the listed
//                                         devices (all visible ones when `gpus` is empty); the
//                                         model's instances take the devices in turn. Only in a
//                                         build with INFERD_WITH_CUDA and with a GPU visible;
//                                         otherwise the model fails to load saying why and how
//                                         to run it on the CPU.
//   KIND_MODEL                            refused: for backends that place instances themselves.
//   KIND_CPU with `gpus`                  refused, as Triton does.
//   CPU and GPU groups in one model       refused (Triton allows it; inferd places per model).
//
// Pure functions, no ORT types; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::backend::ort {

struct GpuSupport {
  bool built = false;  // compiled with INFERD_WITH_CUDA and the ORT library has the CUDA EP
  int visible = 0;     // GPUs this process may use
};

// What this binary and machine offer (cheap: no session, no CUDA call).
GpuSupport DetectGpuSupport();

// The GPUs the model's instances take in turn (instance i on ids[i % size]); empty: the CPU.
// FailedPrecondition when a GPU is needed and there is none (the message says how to run on the
// CPU); InvalidArgument naming the group and what to change for a config that cannot be placed.
StatusOr<std::vector<int>> ModelGpus(const ::inference::ModelConfig& config, const GpuSupport& gpu);

}  // namespace inferd::backend::ort
