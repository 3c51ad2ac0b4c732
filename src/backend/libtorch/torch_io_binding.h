// How a model config's inputs and outputs map onto a TorchScript forward(), with Triton's pytorch
// backend conventions. TorchScript files declare no element types or shapes, so the config must
// list the inputs and outputs (there is no auto-complete); this checks what can be checked.
//
// Inputs: by forward()'s argument names when every input's name is one of them; otherwise by
// position when every input is named <anything>__<index> (INPUT__0, INPUT__1...). A forward()
// argument no input feeds must be Optional[Tensor] (it gets None); every argument must be a
// Tensor or Optional[Tensor].
// Outputs: forward() must return a Tensor, a Tuple of Tensors or a List of Tensors (a dict or a
// nested tuple is refused). Output k is the tensor at index N when every output is named
// <anything>__<N>, otherwise the tensor at the output's position in the config.
// Types: every type libtorch has (BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, BF16, FP32,
// FP64); UINT16/32/64 and BYTES are refused when the model loads.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "backend/libtorch/torch_runtime.h"
#include "common/status.h"
#include "core/data_type.h"
#include "model_config.pb.h"

namespace inferd::backend::libtorch {

struct OutputSlot {
  std::string name;  // the config's output name
  size_t index = 0;  // which tensor of forward()'s result
  core::DataType dtype = core::DataType::kInvalid;
};

struct IoBinding {
  // argument_inputs[i] names the config input fed to forward()'s argument i ("" = None).
  std::vector<std::string> argument_inputs;
  std::vector<OutputSlot> outputs;  // in config order
};

// True for the element types libtorch 1.13 has.
bool TorchHasType(core::DataType type);

// InvalidArgument naming the offending input, output or argument, and what forward() is.
StatusOr<IoBinding> BindTorchIo(const ::inference::ModelConfig& config,
                                const ForwardSchema& schema);

}  // namespace inferd::backend::libtorch
