#include "backend/onnxruntime/ort_instance.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "backend/onnxruntime/ort_env.h"
#include "backend/onnxruntime/tensor_conversion.h"
#include "core/shape.h"

namespace inferd::backend::ort {
namespace {

const core::TensorSpec* FindSpec(const std::vector<core::TensorSpec>& specs,
                                 const std::string& name) {
  auto it = std::find_if(specs.begin(), specs.end(),
                         [&](const core::TensorSpec& spec) { return spec.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

OrtInstance::OrtInstance(std::string model_name, std::shared_ptr<Ort::Env> env,
                         Ort::Session session,
                         std::shared_ptr<const core::ModelSignature> signature)
    : model_name_(std::move(model_name)),
      env_(std::move(env)),
      session_(std::move(session)),
      signature_(std::move(signature)),
      cpu_(Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault)) {}

StatusOr<std::vector<core::Tensor>> OrtInstance::Execute(
    std::span<const core::Tensor> inputs, std::span<const std::string> output_names) {
  const std::string context = absl::StrCat("running model '", model_name_, "'");
  try {
    return Run(inputs, output_names);
  } catch (const Ort::Exception& e) {
    return FromOrtException(e, context);
  } catch (const std::exception& e) {
    return FromStdException(e, context);
  }
}

StatusOr<std::vector<core::Tensor>> OrtInstance::Run(std::span<const core::Tensor> inputs,
                                                     std::span<const std::string> output_names) {
  // Inputs were checked once, by core::ValidateRequest against the completed config: every
  // input is the model's, of its type and shape; an omitted one is `optional: true`. As Triton,
  // an omitted optional input is simply not fed: ONNX Runtime then uses the graph's default
  // (an initializer) or fails naming it, and that error is the request's.
  ASSIGN_OR_RETURN(std::vector<const char*> outputs, ResolveOutputs(output_names));
  InputValues values;
  values.values.reserve(inputs.size());
  std::vector<const char*> input_names;
  input_names.reserve(inputs.size());
  for (const core::Tensor& input : inputs) {
    RETURN_IF_ERROR(AppendInputValue(input, cpu_, values));
    input_names.push_back(input.name.c_str());
  }
  std::vector<Ort::Value> results =
      session_.Run(Ort::RunOptions{nullptr}, input_names.data(), values.values.data(),
                   values.values.size(), outputs.data(), outputs.size());
  std::vector<core::Tensor> tensors;
  tensors.reserve(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    ASSIGN_OR_RETURN(core::Tensor tensor, ToCoreTensor(outputs[i], std::move(results[i])));
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

StatusOr<std::vector<const char*>> OrtInstance::ResolveOutputs(
    std::span<const std::string> output_names) const {
  std::vector<const char*> names;
  if (output_names.empty()) {
    for (const core::TensorSpec& spec : signature_->outputs) names.push_back(spec.name.c_str());
    return names;
  }
  for (const std::string& name : output_names) {
    const core::TensorSpec* spec = FindSpec(signature_->outputs, name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("model '", model_name_, "' has no output '", name, "'"));
    }
    if (std::find(names.begin(), names.end(), spec->name.c_str()) != names.end()) {
      return absl::InvalidArgumentError(absl::StrCat("output '", name, "' requested twice"));
    }
    names.push_back(spec->name.c_str());
  }
  return names;
}

}  // namespace inferd::backend::ort
