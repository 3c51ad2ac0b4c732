// The boundary between the libtorch backend and libtorch itself. libtorch is loaded on demand:
// its code and every header of it live in one shared module (libinferd_libtorch.so, built from
// torch_runtime.cc, the only file that includes torch/script.h), which the backend dlopens when
// the first TorchScript model loads. A server that serves no TorchScript model never maps
// libtorch, whose start-up (operator registration, ~280 shared libraries) costs most of a second
// per process (docs/adr/0007-libtorch-backend-plugin.md).
//
// Nothing here includes torch, protobuf or absl headers beyond Status: only plain values cross
// the module boundary (core::Tensor views in, owning core::Tensors out).
//
// Thread-safety: a TorchRuntime is thread-safe; a TorchModule's Forward may be called from
// several threads at once (TorchScript methods are reentrant; each instance calls its own
// module unless the model shares weights).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/tensor.h"

namespace inferd::backend::libtorch {

// What TorchScript says about forward(): its arguments (without `self`) and what it returns.
struct ForwardArgument {
  std::string name;  // as written in the Python source (traced modules: the traced names)
  std::string type;  // TorchScript's spelling: "Tensor", "Optional[Tensor]", "Dict[str, Tensor]"
};
struct ForwardSchema {
  std::vector<ForwardArgument> arguments;
  std::string return_type;  // "Tensor", "Tuple[Tensor, Tensor]", "List[Tensor]", ...
  // How many tensors forward() returns: 1 for Tensor, n for Tuple[Tensor x n]; 0 for List[Tensor]
  // (known only per call); -1 when it returns something else (a dict, a nested tuple, a scalar).
  int output_count = -1;
};

// Per-call settings (Triton's pytorch backend parameters, parsed by torch_settings.h).
struct ExecutionOptions {
  int intra_op_threads = 0;  // 0: leave libtorch's setting alone
  bool inference_mode = true;
  bool optimized_execution = true;
  // Process-wide switches in libtorch, set before each call when the model configures them.
  std::optional<bool> jit_executor;
  std::optional<bool> jit_profiling;
  std::optional<bool> tensor_fuser;
};

class TorchModule {
 public:
  virtual ~TorchModule() = default;
  virtual const ForwardSchema& schema() const = 0;
  // Runs forward() with `arguments` in forward()'s order; a null entry passes None (an omitted
  // optional input). Returns every tensor forward() returned, in order, named "" (the caller
  // names them), contiguous, on the CPU, each owning its libtorch storage. A torch error (a bad
  // shape, an exception raised by the model) is Internal with torch's message, never a throw.
  virtual StatusOr<std::vector<core::Tensor>> Forward(
      std::span<const core::Tensor* const> arguments, const ExecutionOptions& options) = 0;
};

class TorchRuntime {
 public:
  virtual ~TorchRuntime() = default;
  // "1.13.1": the libtorch the module was built against.
  virtual std::string Version() const = 0;
  // Loads a TorchScript file on the CPU, in eval mode. InvalidArgument with torch's message when
  // the file is not TorchScript or has no forward().
  virtual StatusOr<std::unique_ptr<TorchModule>> Load(const std::string& path) = 0;
  // libtorch's inter-op pool size: settable once per process, before the pool first runs; later
  // calls with another value are FailedPrecondition.
  virtual Status SetInterOpThreads(int threads) = 0;
};

// The module's one exported symbol (extern "C", looked up with dlsym): a process-wide runtime.
// `abi` must equal kTorchRuntimeAbi (nullptr otherwise): the backend and the module must come
// from the same build.
inline constexpr int kTorchRuntimeAbi = 1;
inline constexpr const char* kTorchRuntimeSymbol = "inferd_libtorch_runtime";
using TorchRuntimeEntry = TorchRuntime* (*)(int abi);

}  // namespace inferd::backend::libtorch
