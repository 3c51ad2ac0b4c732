#include "repository/config_autocomplete.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/data_type.h"
#include "core/shape.h"
#include "repository/config_validation.h"
#include "repository/repository_scanner.h"

namespace inferd::repository {
namespace {

using ::inference::ModelConfig;

// Describes the first tensor that prevents batching, for error messages; nullopt if none does.
std::optional<std::string> FirstNonBatchingTensor(const core::ModelSignature& signature) {
  auto describe = [](const char* what, const core::TensorSpec& t) -> std::optional<std::string> {
    if (!t.dims.empty() && t.dims[0] == -1) return std::nullopt;
    return absl::StrCat(what, " '", t.name, "' has shape ", core::ShapeToString(t.dims),
                        t.dims.empty() ? " (a scalar)" : " whose first dimension is fixed");
  };
  for (const auto& t : signature.inputs) {
    if (auto d = describe("input", t)) return d;
  }
  for (const auto& t : signature.outputs) {
    if (auto d = describe("output", t)) return d;
  }
  return std::nullopt;
}

Status CompleteIdentity(const AutoCompleteOptions& options, ModelConfig& config) {
  if (config.name().empty()) {
    config.set_name(options.model_name);
  } else if (config.name() != options.model_name) {
    return absl::InvalidArgumentError(absl::StrCat("config.pbtxt names the model '", config.name(),
                                                   "' but its folder is '", options.model_name,
                                                   "'; they must be the same (or leave name out)"));
  }
  if (!config.platform().empty() && config.platform() != kOnnxPlatform) {
    return absl::InvalidArgumentError(absl::StrCat("inferd serves ONNX models: platform '",
                                                   config.platform(), "' is not supported"));
  }
  if (!config.backend().empty() && config.backend() != kOnnxBackend) {
    return absl::InvalidArgumentError(absl::StrCat("inferd serves ONNX models: backend '",
                                                   config.backend(), "' is not supported"));
  }
  config.set_platform(kOnnxPlatform);
  config.set_backend(kOnnxBackend);
  if (config.default_model_filename().empty()) {
    config.set_default_model_filename(std::string(kDefaultModelFileName));
  }
  return absl::OkStatus();
}

// Triton's ONNX Runtime backend AutoCompleteMaxBatch.
Status CompleteMaxBatch(const core::ModelSignature& signature, const AutoCompleteOptions& options,
                        ModelConfig& config) {
  if (const auto blocker = FirstNonBatchingTensor(signature)) {
    if (config.max_batch_size() != 0) {
      return absl::InvalidArgumentError(absl::StrCat("max_batch_size is ", config.max_batch_size(),
                                                     " but the model cannot batch: its ", *blocker,
                                                     "; set max_batch_size: 0"));
    }
    return absl::OkStatus();
  }
  if (config.max_batch_size() == 0) {
    config.set_max_batch_size(std::max(options.default_max_batch_size, 0));
  }
  if (config.max_batch_size() > 1 && !config.has_dynamic_batching()) {
    config.mutable_dynamic_batching();  // present and empty: batch with the defaults
  }
  return absl::OkStatus();
}

// Triton's ONNX Runtime backend AutoCompleteIO: model order, batch dimension dropped when the
// config batches, a scalar written as dims [ 1 ].
template <typename IO>
Status FillIO(const char* what, const std::vector<core::TensorSpec>& specs, int32_t max_batch_size,
              google::protobuf::RepeatedPtrField<IO>* ios) {
  for (const auto& spec : specs) {
    const ::inference::DataType type = core::ToConfigType(spec.dtype);
    if (type == ::inference::TYPE_INVALID) {
      return absl::InvalidArgumentError(absl::StrCat("the model's ", what, " '", spec.name,
                                                     "' has an element type inferd cannot serve"));
    }
    IO* io = ios->Add();
    io->set_name(spec.name);
    io->set_data_type(type);
    const size_t first = max_batch_size > 0 ? 1 : 0;
    for (size_t i = first; i < spec.dims.size(); ++i) io->add_dims(spec.dims[i]);
    if (io->dims().empty()) {
      io->add_dims(1);
      // An empty reshape means "scalar per batch item", which only exists when batching.
      if (max_batch_size > 0) io->mutable_reshape();
    }
  }
  return absl::OkStatus();
}

void NormalizeInstanceGroups(const AutoCompleteOptions& options, ModelConfig& config) {
  // A default never exceeds the bound by itself (an explicit count over it is refused instead).
  const int count = static_cast<int>(std::min<int64_t>(
      DefaultInstanceCount(options.cpu_cores), std::max<int64_t>(1, options.max_instances)));
  if (config.instance_group().empty()) {
    auto* group = config.add_instance_group();
    group->set_name(config.name());
    group->set_kind(::inference::ModelInstanceGroup::KIND_CPU);
  }
  int index = 0;
  for (auto& group : *config.mutable_instance_group()) {
    if (group.name().empty()) group.set_name(absl::StrCat(config.name(), "_", index));
    ++index;
    if (group.count() == 0) group.set_count(count);
  }
}

// Defaults Triton fills whether or not auto-complete is on (NormalizeModelConfig).
void Normalize(const AutoCompleteOptions& options, ModelConfig& config) {
  if (!config.has_version_policy()) {
    config.mutable_version_policy()->mutable_latest()->set_num_versions(1);
  }
  if (config.has_dynamic_batching() && config.dynamic_batching().preferred_batch_size().empty() &&
      config.max_batch_size() > 0) {
    config.mutable_dynamic_batching()->add_preferred_batch_size(config.max_batch_size());
  }
  NormalizeInstanceGroups(options, config);
}

}  // namespace

int DefaultInstanceCount(int cores) { return std::clamp(cores, 1, 4); }

bool SignatureSupportsBatching(const core::ModelSignature& signature) {
  return !FirstNonBatchingTensor(signature).has_value();
}

StatusOr<ModelConfig> AutoCompleteConfig(const core::ModelSignature& signature,
                                         const AutoCompleteOptions& options, ModelConfig config) {
  RETURN_IF_ERROR(CompleteIdentity(options, config));
  if (config.max_batch_size() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_batch_size must be >= 0, got ", config.max_batch_size()));
  }
  const bool fill_inputs = config.input().empty();
  const bool fill_outputs = config.output().empty();
  if (options.auto_complete && (fill_inputs || fill_outputs)) {
    RETURN_IF_ERROR(CompleteMaxBatch(signature, options, config));
    if (fill_inputs) {
      RETURN_IF_ERROR(
          FillIO("input", signature.inputs, config.max_batch_size(), config.mutable_input()));
    }
    if (fill_outputs) {
      RETURN_IF_ERROR(
          FillIO("output", signature.outputs, config.max_batch_size(), config.mutable_output()));
    }
  }
  Normalize(options, config);
  RETURN_IF_ERROR(ValidateConfig(config));
  RETURN_IF_ERROR(ValidateInstanceCount(config, options.max_instances));
  RETURN_IF_ERROR(ValidateAgainstSignature(config, signature));
  return config;
}

}  // namespace inferd::repository
