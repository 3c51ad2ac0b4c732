#include "repository/config_validation.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/data_type.h"
#include "core/sequence_controls.h"
#include "core/shape.h"

namespace inferd::repository {
namespace {

using ::inference::ModelConfig;

template <typename Repeated>
core::Shape ToShape(const Repeated& dims) {
  return core::Shape(dims.begin(), dims.end());
}

Status CheckDims(const char* what, const std::string& name, const core::Shape& dims,
                 const char* field) {
  for (int64_t d : dims) {
    if (d < 1 && d != -1) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " '", name, "': ", field, " ", core::ShapeToString(dims),
          " is invalid: each dimension must be >= 1, or -1 for a variable-size dimension"));
    }
  }
  return absl::OkStatus();
}

// The checks Triton's ValidateIOShape makes on one input or output.
template <typename IO>
Status CheckIO(const char* what, const IO& io, int32_t max_batch_size,
               std::set<std::string>* seen) {
  if (io.name().empty()) return absl::InvalidArgumentError(absl::StrCat(what, " has no name"));
  if (!seen->insert(io.name()).second) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", io.name(), "' is declared more than once"));
  }
  if (io.data_type() == ::inference::TYPE_INVALID) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", io.name(), "' must specify 'data_type'"));
  }
  if (io.dims().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", io.name(),
                     "' must specify 'dims' (use [ 1 ] with reshape { shape: [] } "
                     "for a scalar in a batching model)"));
  }
  RETURN_IF_ERROR(CheckDims(what, io.name(), ToShape(io.dims()), "dims"));
  if (io.has_reshape()) {
    if (io.reshape().shape().empty() && max_batch_size == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " '", io.name(), "' cannot have an empty reshape without batching"));
    }
    RETURN_IF_ERROR(CheckDims(what, io.name(), ToShape(io.reshape().shape()), "reshape"));
  }
  return absl::OkStatus();
}

Status CheckDynamicBatching(const ModelConfig& config) {
  if (!config.has_dynamic_batching()) return absl::OkStatus();
  const auto& db = config.dynamic_batching();
  for (int32_t size : db.preferred_batch_size()) {
    if (size < 1 || size > config.max_batch_size()) {
      return absl::InvalidArgumentError(absl::StrCat("dynamic_batching preferred_batch_size ", size,
                                                     " must be between 1 and max_batch_size (",
                                                     config.max_batch_size(), ")"));
    }
  }
  const uint64_t levels = db.priority_levels();
  if (levels == 0) {
    if (db.default_priority_level() != 0 || !db.priority_queue_policy().empty()) {
      return absl::InvalidArgumentError(
          "dynamic_batching default_priority_level and priority_queue_policy need "
          "priority_levels > 0");
    }
    return absl::OkStatus();
  }
  if (db.default_priority_level() < 1 || db.default_priority_level() > levels) {
    return absl::InvalidArgumentError(
        absl::StrCat("dynamic_batching default_priority_level ", db.default_priority_level(),
                     " must be between 1 and priority_levels (", levels, ")"));
  }
  for (const auto& [level, policy] : db.priority_queue_policy()) {
    if (level < 1 || level > levels) {
      return absl::InvalidArgumentError(
          absl::StrCat("dynamic_batching priority_queue_policy level ", level,
                       " must be between 1 and priority_levels (", levels, ")"));
    }
  }
  return absl::OkStatus();
}

template <typename Specs>
std::string Names(const Specs& specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  return names.empty() ? "(none)" : absl::StrJoin(names, ", ");
}

const core::TensorSpec* FindSpec(const std::vector<core::TensorSpec>& specs,
                                 const std::string& name) {
  for (const auto& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// A config shape fits a model shape when ranks agree and every pair of dims is equal or has a -1
// on either side. A model scalar (rank 0) is written [ 1 ] in a config, as Triton's ONNX backend
// does.
bool DimsCompatible(const core::Shape& config, const core::Shape& model) {
  if (model.empty()) return config == core::Shape{1} || config.empty();
  if (config.size() != model.size()) return false;
  for (size_t i = 0; i < config.size(); ++i) {
    if (config[i] != -1 && model[i] != -1 && config[i] != model[i]) return false;
  }
  return true;
}

template <typename IO>
Status CheckTensorAgainstModel(const char* what, const IO& io, const core::TensorSpec& spec,
                               int32_t max_batch_size) {
  if (core::FromConfigType(io.data_type()) != spec.dtype) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", io.name(), "': config.pbtxt has data_type ",
                     ::inference::DataType_Name(io.data_type()), " but the model's is ",
                     ::inference::DataType_Name(core::ToConfigType(spec.dtype))));
  }
  const bool reshaped = io.has_reshape();
  const core::Shape config_shape = reshaped ? ToShape(io.reshape().shape()) : ToShape(io.dims());
  core::Shape model_shape = spec.dims;
  if (max_batch_size > 0) {
    if (model_shape.empty() || model_shape[0] != -1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "max_batch_size is ", max_batch_size, " but the model's ", what, " '", io.name(),
          "' has shape ", core::ShapeToString(spec.dims),
          " whose first dimension is fixed, so the model cannot batch; set max_batch_size: 0 "
          "and give the full shape in dims"));
    }
    model_shape.erase(model_shape.begin());
  }
  if (!DimsCompatible(config_shape, model_shape)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", io.name(), "': config.pbtxt ", reshaped ? "reshape " : "dims ",
                     core::ShapeToString(config_shape),
                     max_batch_size > 0 ? " (without the batch dimension)" : "",
                     " do not match the model's shape ", core::ShapeToString(spec.dims)));
  }
  return absl::OkStatus();
}

// Control and state inputs are provided by the server, so a config must not also list them as
// client inputs; the oldest strategy's sizes follow dynamic batching's rules.
Status CheckSequenceBatching(const ModelConfig& config, const std::set<std::string>& inputs,
                             const std::set<std::string>& outputs) {
  if (!config.has_sequence_batching()) return absl::OkStatus();
  const auto& batching = config.sequence_batching();
  ASSIGN_OR_RETURN(const core::SequenceControls controls, core::ParseSequenceControls(batching));
  for (const auto& name : controls.ProvidedInputs()) {
    if (inputs.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("input '", name,
                       "' is a sequence_batching control or state input; remove it from `input` "
                       "(the server provides it)"));
    }
  }
  for (const auto& state : controls.states) {
    if (outputs.contains(state.output)) {
      return absl::InvalidArgumentError(
          absl::StrCat("output '", state.output,
                       "' is a sequence_batching state output; remove it from `output` "
                       "(the server keeps it for the next request)"));
    }
  }
  if (batching.has_oldest()) {
    if (batching.oldest().max_candidate_sequences() < 0) {
      return absl::InvalidArgumentError(
          "sequence_batching oldest max_candidate_sequences must be >= 0");
    }
    for (int32_t size : batching.oldest().preferred_batch_size()) {
      if (size < 1 || size > std::max(config.max_batch_size(), 1)) {
        return absl::InvalidArgumentError(
            absl::StrCat("sequence_batching oldest preferred_batch_size ", size,
                         " must be between 1 and max_batch_size (", config.max_batch_size(), ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

Status ValidateConfig(const ModelConfig& config) {
  if (config.max_batch_size() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_batch_size must be >= 0, got ", config.max_batch_size()));
  }
  std::set<std::string> inputs;
  for (const auto& in : config.input()) {
    RETURN_IF_ERROR(CheckIO("input", in, config.max_batch_size(), &inputs));
  }
  std::set<std::string> outputs;
  for (const auto& out : config.output()) {
    RETURN_IF_ERROR(CheckIO("output", out, config.max_batch_size(), &outputs));
  }
  RETURN_IF_ERROR(CheckDynamicBatching(config));
  RETURN_IF_ERROR(CheckSequenceBatching(config, inputs, outputs));
  for (const auto& group : config.instance_group()) {
    if (group.count() < 0) {
      return absl::InvalidArgumentError(absl::StrCat("instance_group '", group.name(),
                                                     "' count must be >= 0, got ", group.count()));
    }
  }
  if (config.version_policy().has_latest() && config.version_policy().latest().num_versions() < 1) {
    return absl::InvalidArgumentError("version_policy latest num_versions must be >= 1");
  }
  return absl::OkStatus();
}

Status ValidateInstanceCount(const ModelConfig& config, int64_t max_instances) {
  int64_t total = 0;
  for (const auto& group : config.instance_group()) total += std::max<int64_t>(0, group.count());
  if (total > max_instances) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model '", config.name(), "' asks for ", total, " instances, more than the ", max_instances,
        " allowed per model (--max-instances-per-model ", max_instances, ")"));
  }
  return absl::OkStatus();
}

Status ValidateAgainstSignature(const ModelConfig& config, const core::ModelSignature& signature) {
  std::set<std::string> configured_inputs;
  if (config.has_sequence_batching()) {
    ASSIGN_OR_RETURN(const core::SequenceControls controls,
                     core::ParseSequenceControls(config.sequence_batching()));
    RETURN_IF_ERROR(core::ValidateSequenceAgainstSignature(controls, signature));
    for (auto& name : controls.ProvidedInputs()) configured_inputs.insert(std::move(name));
  }
  for (const auto& in : config.input()) {
    const core::TensorSpec* spec = FindSpec(signature.inputs, in.name());
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("input '", in.name(),
                       "' in config.pbtxt is not an input of the model; "
                       "the model's inputs are: ",
                       Names(signature.inputs)));
    }
    RETURN_IF_ERROR(CheckTensorAgainstModel("input", in, *spec, config.max_batch_size()));
    configured_inputs.insert(in.name());
  }
  for (const auto& spec : signature.inputs) {
    if (!configured_inputs.contains(spec.name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the model's input '", spec.name, "' (", core::DataTypeName(spec.dtype), " ",
                       core::ShapeToString(spec.dims), ") is missing from config.pbtxt"));
    }
  }
  for (const auto& out : config.output()) {
    const core::TensorSpec* spec = FindSpec(signature.outputs, out.name());
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("output '", out.name(),
                       "' in config.pbtxt is not an output of the model; "
                       "the model's outputs are: ",
                       Names(signature.outputs)));
    }
    RETURN_IF_ERROR(CheckTensorAgainstModel("output", out, *spec, config.max_batch_size()));
  }
  return absl::OkStatus();
}

}  // namespace inferd::repository
