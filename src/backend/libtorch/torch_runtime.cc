// The shared module libinferd_libtorch.so: TorchRuntime and TorchModule over libtorch. The only
// file of inferd that includes libtorch's headers (they are slow to compile; see ADR 0007).
// Every torch call is inside a try: c10::Error and the TorchScript interpreter's exceptions
// become Status here and never cross the module boundary.
#include <ATen/Parallel.h>
#include <torch/csrc/jit/passes/tensorexpr_fuser.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/script.h>
#include <torch/version.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "backend/libtorch/torch_runtime.h"

namespace inferd::backend::libtorch {
namespace {

std::optional<at::ScalarType> ToScalarType(core::DataType type) {
  switch (type) {
    case core::DataType::kBool:
      return at::kBool;
    case core::DataType::kUint8:
      return at::kByte;
    case core::DataType::kInt8:
      return at::kChar;
    case core::DataType::kInt16:
      return at::kShort;
    case core::DataType::kInt32:
      return at::kInt;
    case core::DataType::kInt64:
      return at::kLong;
    case core::DataType::kFp16:
      return at::kHalf;
    case core::DataType::kBf16:
      return at::kBFloat16;
    case core::DataType::kFp32:
      return at::kFloat;
    case core::DataType::kFp64:
      return at::kDouble;
    default:
      return std::nullopt;  // libtorch 1.13 has no uint16/32/64; BYTES is not a tensor
  }
}

core::DataType FromScalarType(at::ScalarType type) {
  for (core::DataType ours : {core::DataType::kBool, core::DataType::kUint8, core::DataType::kInt8,
                              core::DataType::kInt16, core::DataType::kInt32,
                              core::DataType::kInt64, core::DataType::kFp16, core::DataType::kBf16,
                              core::DataType::kFp32, core::DataType::kFp64}) {
    if (ToScalarType(ours) == type) return ours;
  }
  return core::DataType::kInvalid;
}

std::string TorchMessage(const c10::Error& e) { return e.what_without_backtrace(); }

// A copy, not a view of the request's bytes: a model may write to its inputs in place, and the
// bytes may be unaligned or in a client's shared-memory region.
StatusOr<at::Tensor> ToTorchTensor(const core::Tensor& tensor) {
  const std::optional<at::ScalarType> type = ToScalarType(tensor.dtype);
  if (!type.has_value()) {
    // The backend admits only types libtorch has (torch_io_binding.cc); this is a backstop.
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "' has an element type libtorch does not have"));
  }
  std::vector<int64_t> shape(tensor.shape.begin(), tensor.shape.end());
  at::Tensor out = at::empty(shape, at::TensorOptions().dtype(*type));
  const size_t bytes = static_cast<size_t>(out.numel()) * out.element_size();
  if (bytes != tensor.data.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input '", tensor.name, "' has ", tensor.data.size(), " bytes, its shape needs ", bytes));
  }
  if (bytes > 0) std::memcpy(out.data_ptr(), tensor.data.data(), bytes);
  return out;
}

StatusOr<core::Tensor> FromTorchTensor(at::Tensor tensor, size_t index) {
  if (!tensor.device().is_cpu()) {
    return absl::InternalError(absl::StrCat("output ", index, " is on ", tensor.device().str()));
  }
  const core::DataType type = FromScalarType(tensor.scalar_type());
  if (type == core::DataType::kInvalid) {
    return absl::InternalError(absl::StrCat("output ", index, " has element type ",
                                            c10::toString(tensor.scalar_type()),
                                            ", which inferd cannot serve"));
  }
  auto owner = std::make_shared<at::Tensor>(tensor.contiguous());
  core::Tensor out;
  out.dtype = type;
  out.shape.assign(owner->sizes().begin(), owner->sizes().end());
  const size_t bytes = static_cast<size_t>(owner->numel()) * owner->element_size();
  out.data = std::span<const std::byte>(static_cast<const std::byte*>(owner->data_ptr()), bytes);
  out.owner = std::move(owner);
  return out;
}

// Tensor -> 1, Tuple[Tensor, ...] -> its size, List[Tensor] -> 0, anything else -> -1.
int CountTensorOutputs(const c10::TypePtr& type) {
  if (type->kind() == c10::TypeKind::TensorType) return 1;
  if (const auto tuple = type->cast<c10::TupleType>()) {
    for (const auto& element : tuple->elements()) {
      if (element->kind() != c10::TypeKind::TensorType) return -1;
    }
    return tuple->elements().empty() ? -1 : static_cast<int>(tuple->elements().size());
  }
  if (const auto list = type->cast<c10::ListType>()) {
    return list->getElementType()->kind() == c10::TypeKind::TensorType ? 0 : -1;
  }
  return -1;
}

class TorchScriptModule : public TorchModule {
 public:
  TorchScriptModule(torch::jit::Module module, ForwardSchema schema)
      : module_(std::move(module)), schema_(std::move(schema)) {}

  const ForwardSchema& schema() const override { return schema_; }

  StatusOr<std::vector<core::Tensor>> Forward(std::span<const core::Tensor* const> arguments,
                                              const ExecutionOptions& options) override {
    try {
      return Run(arguments, options);
    } catch (const c10::Error& e) {
      return absl::InternalError(TorchMessage(e));
    } catch (const std::exception& e) {
      return absl::InternalError(e.what());
    } catch (...) {
      return absl::InternalError("libtorch threw a non-standard exception");
    }
  }

 private:
  StatusOr<std::vector<core::Tensor>> Run(std::span<const core::Tensor* const> arguments,
                                          const ExecutionOptions& options) {
    ApplyOptions(options);
    std::vector<c10::IValue> inputs;
    inputs.reserve(arguments.size());
    for (const core::Tensor* argument : arguments) {
      if (argument == nullptr) {
        inputs.emplace_back();  // None
        continue;
      }
      ASSIGN_OR_RETURN(at::Tensor tensor, ToTorchTensor(*argument));
      inputs.emplace_back(std::move(tensor));
    }
    // Autograd off; InferenceMode also skips version counters and view tracking (Triton's
    // INFERENCE_MODE). The optimiser switch is thread-local in libtorch.
    std::optional<c10::InferenceMode> inference;
    std::optional<torch::NoGradGuard> no_grad;
    if (options.inference_mode) {
      inference.emplace();
    } else {
      no_grad.emplace();
    }
    torch::jit::GraphOptimizerEnabledGuard optimizer(options.optimized_execution);
    c10::IValue result = module_.forward(std::move(inputs));
    return CollectOutputs(result);
  }

  static void ApplyOptions(const ExecutionOptions& options) {
    // Under OpenMP this sets the calling thread's pool size: each instance runs on its own
    // thread, so each keeps its own count.
    if (options.intra_op_threads > 0 && at::get_num_threads() != options.intra_op_threads) {
      at::set_num_threads(options.intra_op_threads);
    }
    if (options.jit_executor.has_value()) torch::jit::getExecutorMode() = *options.jit_executor;
    if (options.jit_profiling.has_value()) torch::jit::getProfilingMode() = *options.jit_profiling;
    if (options.tensor_fuser.has_value()) {
      torch::jit::setTensorExprFuserEnabled(*options.tensor_fuser);
    }
  }

  static StatusOr<std::vector<core::Tensor>> CollectOutputs(const c10::IValue& result) {
    std::vector<at::Tensor> tensors;
    if (result.isTensor()) {
      tensors.push_back(result.toTensor());
    } else if (result.isTuple()) {
      for (const c10::IValue& element : result.toTupleRef().elements()) {
        if (!element.isTensor()) {
          return absl::InternalError(absl::StrCat("forward() returned a tuple holding a ",
                                                  element.tagKind(), ", not only tensors"));
        }
        tensors.push_back(element.toTensor());
      }
    } else if (result.isTensorList()) {
      for (const at::Tensor& tensor : result.toTensorVector()) tensors.push_back(tensor);
    } else {
      return absl::InternalError(
          absl::StrCat("forward() returned a ", result.tagKind(), ", not tensors"));
    }
    std::vector<core::Tensor> outputs;
    outputs.reserve(tensors.size());
    for (size_t i = 0; i < tensors.size(); ++i) {
      ASSIGN_OR_RETURN(core::Tensor out, FromTorchTensor(std::move(tensors[i]), i));
      outputs.push_back(std::move(out));
    }
    return outputs;
  }

  torch::jit::Module module_;
  const ForwardSchema schema_;
};

ForwardSchema ReadSchema(const torch::jit::Module& module) {
  const c10::FunctionSchema& function = module.get_method("forward").function().getSchema();
  ForwardSchema schema;
  const auto& arguments = function.arguments();
  for (size_t i = 1; i < arguments.size(); ++i) {  // argument 0 is `self`
    schema.arguments.push_back({arguments[i].name(), arguments[i].type()->annotation_str()});
  }
  if (function.returns().size() == 1) {
    const c10::TypePtr& type = function.returns()[0].type();
    schema.return_type = type->annotation_str();
    schema.output_count = CountTensorOutputs(type);
  } else {
    schema.return_type = absl::StrCat(function.returns().size(), " values");
  }
  return schema;
}

class LibTorchRuntime : public TorchRuntime {
 public:
  std::string Version() const override {
    return absl::StrCat(TORCH_VERSION_MAJOR, ".", TORCH_VERSION_MINOR, ".", TORCH_VERSION_PATCH);
  }

  StatusOr<std::unique_ptr<TorchModule>> Load(const std::string& path) override {
    try {
      torch::jit::Module module = torch::jit::load(path, torch::kCPU);
      module.eval();
      if (!module.find_method("forward").has_value()) {
        return absl::InvalidArgumentError("the TorchScript module has no forward() method");
      }
      ForwardSchema schema = ReadSchema(module);
      return std::make_unique<TorchScriptModule>(std::move(module), std::move(schema));
    } catch (const c10::Error& e) {
      return absl::InvalidArgumentError(
          absl::StrCat("not a TorchScript model libtorch can load: ", TorchMessage(e)));
    } catch (const std::exception& e) {
      return absl::InvalidArgumentError(
          absl::StrCat("not a TorchScript model libtorch can load: ", e.what()));
    }
  }

  Status SetInterOpThreads(int threads) override {
    absl::MutexLock lock(&mu_);
    if (inter_op_threads_ == threads) return absl::OkStatus();
    if (inter_op_threads_ != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("libtorch's inter-op pool has ", inter_op_threads_,
                       " threads for the whole process and cannot be resized to ", threads));
    }
    try {
      at::set_num_interop_threads(threads);
    } catch (const c10::Error& e) {
      return absl::FailedPreconditionError(TorchMessage(e));
    }
    inter_op_threads_ = threads;
    return absl::OkStatus();
  }

 private:
  absl::Mutex mu_;
  int inter_op_threads_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) TorchRuntime* inferd_libtorch_runtime(int abi) {
  if (abi != kTorchRuntimeAbi) return nullptr;
  static LibTorchRuntime runtime;
  return &runtime;
}

}  // namespace inferd::backend::libtorch
