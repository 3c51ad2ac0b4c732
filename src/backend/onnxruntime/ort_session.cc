#include "backend/onnxruntime/ort_session.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backend/onnxruntime/ort_env.h"
#include "backend/onnxruntime/type_mapping.h"

namespace inferd::backend::ort {
namespace {

GraphOptimizationLevel ToOrtLevel(GraphLevel level) {
  switch (level) {
    case GraphLevel::kDisableAll:
      return ORT_DISABLE_ALL;
    case GraphLevel::kBasic:
      return ORT_ENABLE_BASIC;
    case GraphLevel::kExtended:
      return ORT_ENABLE_EXTENDED;
    case GraphLevel::kAll:
      break;
  }
  return ORT_ENABLE_ALL;
}

Ort::SessionOptions MakeOptions(const SessionSettings& settings) {
  Ort::SessionOptions options;
  options.SetIntraOpNumThreads(settings.intra_op_threads);
  options.SetInterOpNumThreads(settings.inter_op_threads);
  options.SetGraphOptimizationLevel(ToOrtLevel(settings.graph_level));
  if (settings.mem_arena) {
    options.EnableCpuMemArena();
  } else {
    options.DisableCpuMemArena();
  }
  options.AddConfigEntry("session.intra_op.allow_spinning", settings.intra_op_spinning ? "1" : "0");
  options.AddConfigEntry("session.inter_op.allow_spinning", settings.inter_op_spinning ? "1" : "0");
  if (settings.cuda_device >= 0) {
#ifdef INFERD_WITH_CUDA
    // Untested here (no GPU in CI): the CUDA EP first, ORT falls back to the CPU for the nodes
    // the CUDA EP does not take.
    OrtCUDAProviderOptions cuda;
    cuda.device_id = settings.cuda_device;
    options.AppendExecutionProvider_CUDA(cuda);
#else
    throw std::runtime_error("this build has no CUDA execution provider (INFERD_WITH_CUDA=OFF)");
#endif
  }
  return options;
}

StatusOr<core::TensorSpec> ToSpec(std::string name, const Ort::TypeInfo& info) {
  if (info.GetONNXType() != ONNX_TYPE_TENSOR) {
    return absl::InvalidArgumentError(
        absl::StrCat("model tensor '", name, "' is not a tensor (sequence/map/optional)"));
  }
  auto tensor_info = info.GetTensorTypeAndShapeInfo();
  const ONNXTensorElementDataType ort_type = tensor_info.GetElementType();
  core::TensorSpec spec{std::move(name), FromOrtType(ort_type), tensor_info.GetShape()};
  if (spec.dtype == core::DataType::kInvalid) {
    return absl::InvalidArgumentError(absl::StrCat("model tensor '", spec.name,
                                                   "' has an unsupported element type (ONNX type ",
                                                   static_cast<int>(ort_type), ")"));
  }
  // ORT reports symbolic dimensions as -1 already; anything else negative means unknown too.
  for (int64_t& dim : spec.dims) {
    if (dim < 0) dim = -1;
  }
  return spec;
}

}  // namespace

StatusOr<Ort::Session> CreateSession(const Ort::Env& env, const std::filesystem::path& model_file,
                                     const SessionSettings& settings) {
  const std::string context = absl::StrCat("loading ONNX model '", model_file.string(), "'");
  try {
    return Ort::Session(env, model_file.c_str(), MakeOptions(settings));
  } catch (const Ort::Exception& e) {
    return FromOrtException(e, context);
  } catch (const std::exception& e) {
    return FromStdException(e, context);
  }
}

StatusOr<core::ModelSignature> ReadSessionSignature(const Ort::Session& session) {
  try {
    Ort::AllocatorWithDefaultOptions allocator;
    core::ModelSignature signature;
    for (size_t i = 0; i < session.GetInputCount(); ++i) {
      ASSIGN_OR_RETURN(auto spec, ToSpec(session.GetInputNameAllocated(i, allocator).get(),
                                         session.GetInputTypeInfo(i)));
      signature.inputs.push_back(std::move(spec));
    }
    for (size_t i = 0; i < session.GetOutputCount(); ++i) {
      ASSIGN_OR_RETURN(auto spec, ToSpec(session.GetOutputNameAllocated(i, allocator).get(),
                                         session.GetOutputTypeInfo(i)));
      signature.outputs.push_back(std::move(spec));
    }
    return signature;
  } catch (const Ort::Exception& e) {
    return FromOrtException(e, "reading the model signature");
  } catch (const std::exception& e) {
    return FromStdException(e, "reading the model signature");
  }
}

}  // namespace inferd::backend::ort
