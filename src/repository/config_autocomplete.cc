#include "repository/config_autocomplete.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/sequence_controls.h"
#include "repository/config_validation.h"

namespace inferd::repository {
namespace {

using ::inference::ModelConfig;

Status CompleteIdentity(const AutoCompleteOptions& options, ModelConfig& config) {
  if (config.name().empty()) {
    config.set_name(options.model_name);
  } else if (config.name() != options.model_name) {
    return absl::InvalidArgumentError(absl::StrCat("config.pbtxt names the model '", config.name(),
                                                   "' but its folder is '", options.model_name,
                                                   "'; they must be the same (or leave name out)"));
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

// The backend's part lists every tensor of the model file; a sequence model's control and state
// tensors are the server's, not the client's. (A malformed sequence_batching is left for
// validation to report.)
void RemoveSequenceTensors(ModelConfig& config) {
  if (!config.has_sequence_batching()) return;
  auto controls = core::ParseSequenceControls(config.sequence_batching());
  if (!controls.ok()) return;
  const std::vector<std::string> provided = controls->ProvidedInputs();
  auto* inputs = config.mutable_input();
  inputs->erase(std::remove_if(inputs->begin(), inputs->end(),
                               [&](const auto& in) {
                                 return std::find(provided.begin(), provided.end(), in.name()) !=
                                        provided.end();
                               }),
                inputs->end());
  auto* outputs = config.mutable_output();
  outputs->erase(
      std::remove_if(outputs->begin(), outputs->end(),
                     [&](const auto& out) { return controls->IsStateOutput(out.name()); }),
      outputs->end());
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

StatusOr<ModelConfig> AutoCompleteConfig(const core::ModelSignature& signature,
                                         const AutoCompleteOptions& options, ModelConfig config,
                                         const BackendAutoComplete& backend_auto_complete) {
  RETURN_IF_ERROR(CompleteIdentity(options, config));
  if (config.max_batch_size() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_batch_size must be >= 0, got ", config.max_batch_size()));
  }
  if (options.auto_complete && (config.input().empty() || config.output().empty()) &&
      backend_auto_complete) {
    RETURN_IF_ERROR(backend_auto_complete(config));
    RemoveSequenceTensors(config);
  }
  Normalize(options, config);
  RETURN_IF_ERROR(ValidateConfig(config));
  RETURN_IF_ERROR(ValidateInstanceCount(config, options.max_instances));
  RETURN_IF_ERROR(ValidateAgainstSignature(config, signature));
  return config;
}

}  // namespace inferd::repository
