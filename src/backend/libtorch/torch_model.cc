#include "backend/libtorch/torch_model.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::backend::libtorch {
namespace {

template <typename IO>
core::TensorSpec SpecFromConfig(const IO& io, int32_t max_batch_size) {
  core::TensorSpec spec;
  spec.name = io.name();
  spec.dtype = core::FromConfigType(io.data_type());
  if (max_batch_size > 0) spec.dims.push_back(-1);
  const auto& dims = io.has_reshape() ? io.reshape().shape() : io.dims();
  spec.dims.insert(spec.dims.end(), dims.begin(), dims.end());
  return spec;
}

class TorchInstance : public Instance {
 public:
  TorchInstance(std::string model_name, std::shared_ptr<const IoBinding> binding,
                ExecutionOptions options, std::shared_ptr<TorchModule> module)
      : model_name_(std::move(model_name)),
        binding_(std::move(binding)),
        options_(options),
        module_(std::move(module)) {}

  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor> inputs,
                                              std::span<const std::string> output_names) override {
    // Inputs were validated against the config before they were queued; an omitted one is
    // `optional: true` and its argument gets None.
    std::vector<const core::Tensor*> arguments(binding_->argument_inputs.size(), nullptr);
    for (const core::Tensor& input : inputs) {
      auto it =
          std::find(binding_->argument_inputs.begin(), binding_->argument_inputs.end(), input.name);
      if (it == binding_->argument_inputs.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("model '", model_name_, "' has no input '", input.name, "'"));
      }
      arguments[static_cast<size_t>(it - binding_->argument_inputs.begin())] = &input;
    }
    auto results = module_->Forward(arguments, options_);
    if (!results.ok()) {
      return Status(results.status().code(),
                    absl::StrCat("model '", model_name_,
                                 "' failed in forward(): ", results.status().message()));
    }
    return PickOutputs(*std::move(results), output_names);
  }

 private:
  StatusOr<std::vector<core::Tensor>> PickOutputs(std::vector<core::Tensor> results,
                                                  std::span<const std::string> output_names) {
    std::vector<const OutputSlot*> wanted;
    if (output_names.empty()) {
      for (const OutputSlot& slot : binding_->outputs) wanted.push_back(&slot);
    }
    for (const std::string& name : output_names) {
      auto it = std::find_if(binding_->outputs.begin(), binding_->outputs.end(),
                             [&](const OutputSlot& slot) { return slot.name == name; });
      if (it == binding_->outputs.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("model '", model_name_, "' has no output '", name, "'"));
      }
      wanted.push_back(&*it);
    }
    std::vector<core::Tensor> outputs;
    outputs.reserve(wanted.size());
    for (const OutputSlot* slot : wanted) {
      if (slot->index >= results.size()) {
        return absl::InternalError(
            absl::StrCat("model '", model_name_, "': output '", slot->name, "' is tensor ",
                         slot->index, " of forward()'s result, which has ", results.size()));
      }
      core::Tensor tensor = results[slot->index];  // shares the owner: two slots may not alias
      if (tensor.dtype != slot->dtype) {
        return absl::InternalError(absl::StrCat("model '", model_name_, "': output '", slot->name,
                                                "' is ", core::DataTypeName(tensor.dtype),
                                                " but config.pbtxt says ",
                                                core::DataTypeName(slot->dtype)));
      }
      tensor.name = slot->name;
      outputs.push_back(std::move(tensor));
    }
    return outputs;
  }

  const std::string model_name_;
  const std::shared_ptr<const IoBinding> binding_;
  const ExecutionOptions options_;
  const std::shared_ptr<TorchModule> module_;
};

}  // namespace

core::ModelSignature SignatureFromConfig(const ::inference::ModelConfig& config) {
  core::ModelSignature signature;
  for (const auto& in : config.input()) {
    signature.inputs.push_back(SpecFromConfig(in, config.max_batch_size()));
  }
  for (const auto& out : config.output()) {
    signature.outputs.push_back(SpecFromConfig(out, config.max_batch_size()));
  }
  return signature;
}

TorchModel::TorchModel(std::string name, std::filesystem::path model_file, TorchSettings settings,
                       IoBinding binding, TorchRuntime* runtime,
                       std::shared_ptr<TorchModule> first_module,
                       std::shared_ptr<const core::ModelSignature> signature)
    : name_(std::move(name)),
      model_file_(std::move(model_file)),
      settings_(settings),
      binding_(std::make_shared<const IoBinding>(std::move(binding))),
      runtime_(runtime),
      signature_(std::move(signature)),
      first_module_(std::move(first_module)) {}

StatusOr<std::unique_ptr<Instance>> TorchModel::CreateInstance(int /*index*/) {
  std::shared_ptr<TorchModule> module;
  {
    absl::MutexLock lock(&mu_);
    module = settings_.weight_sharing ? first_module_ : std::exchange(first_module_, nullptr);
  }
  if (module == nullptr) {
    auto loaded = runtime_->Load(model_file_.string());
    if (!loaded.ok()) {
      return Status(loaded.status().code(),
                    absl::StrCat("model '", name_, "': ", loaded.status().message()));
    }
    module = *std::move(loaded);
  }
  return std::make_unique<TorchInstance>(name_, binding_, settings_.execution, std::move(module));
}

}  // namespace inferd::backend::libtorch
