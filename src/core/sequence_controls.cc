#include "core/sequence_controls.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

using ::inference::ModelSequenceBatching;
using Control = ModelSequenceBatching::Control;

template <typename T>
std::vector<std::byte> SequenceValueBytes(T value) {
  std::vector<std::byte> bytes(sizeof(T));
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

const char* ControlKindName(Control::Kind kind) {
  switch (kind) {
    case Control::CONTROL_SEQUENCE_START:
      return "CONTROL_SEQUENCE_START";
    case Control::CONTROL_SEQUENCE_END:
      return "CONTROL_SEQUENCE_END";
    case Control::CONTROL_SEQUENCE_READY:
      return "CONTROL_SEQUENCE_READY";
    case Control::CONTROL_SEQUENCE_CORRID:
      return "CONTROL_SEQUENCE_CORRID";
    default:
      return "an unknown control kind";
  }
}

StatusOr<SequenceFlagControl> ParseFlagControl(const std::string& input, const Control& control) {
  const std::string where = absl::StrCat("sequence_batching control input '", input, "' (",
                                         ControlKindName(control.kind()), ")");
  SequenceFlagControl flag;
  flag.input = input;
  const int given = (control.int32_false_true_size() > 0 ? 1 : 0) +
                    (control.fp32_false_true_size() > 0 ? 1 : 0) +
                    (control.bool_false_true_size() > 0 ? 1 : 0);
  if (given != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, " must set exactly one of int32_false_true, fp32_false_true, bool_false_true"));
  }
  const int count = std::max({control.int32_false_true_size(), control.fp32_false_true_size(),
                              control.bool_false_true_size()});
  if (count != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " must give exactly two values, false then true (got ", count, ")"));
  }
  if (control.data_type() != ::inference::TYPE_INVALID) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": data_type is only for CONTROL_SEQUENCE_CORRID"));
  }
  if (control.int32_false_true_size() > 0) {
    flag.dtype = DataType::kInt32;
    flag.false_value = SequenceValueBytes<int32_t>(control.int32_false_true(0));
    flag.true_value = SequenceValueBytes<int32_t>(control.int32_false_true(1));
  } else if (control.fp32_false_true_size() > 0) {
    flag.dtype = DataType::kFp32;
    flag.false_value = SequenceValueBytes<float>(control.fp32_false_true(0));
    flag.true_value = SequenceValueBytes<float>(control.fp32_false_true(1));
  } else {
    flag.dtype = DataType::kBool;
    flag.false_value = SequenceValueBytes<uint8_t>(control.bool_false_true(0) ? 1 : 0);
    flag.true_value = SequenceValueBytes<uint8_t>(control.bool_false_true(1) ? 1 : 0);
  }
  return flag;
}

StatusOr<SequenceCorrIdControl> ParseCorrIdControl(const std::string& input,
                                                   const Control& control) {
  const std::string where =
      absl::StrCat("sequence_batching control input '", input, "' (CONTROL_SEQUENCE_CORRID)");
  if (control.int32_false_true_size() + control.fp32_false_true_size() +
          control.bool_false_true_size() >
      0) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " takes data_type, not false/true values"));
  }
  const DataType dtype = FromConfigType(control.data_type());
  if (dtype != DataType::kUint64 && dtype != DataType::kInt64 && dtype != DataType::kUint32 &&
      dtype != DataType::kInt32 && dtype != DataType::kBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        where,
        ": data_type must be TYPE_UINT64, TYPE_INT64, TYPE_UINT32, TYPE_INT32 or TYPE_STRING"));
  }
  return SequenceCorrIdControl{input, dtype};
}

StatusOr<SequenceState> ParseState(const ModelSequenceBatching::State& state) {
  if (state.input_name().empty() || state.output_name().empty()) {
    return absl::InvalidArgumentError(
        "sequence_batching state needs both input_name and output_name");
  }
  const std::string where = absl::StrCat("sequence_batching state '", state.input_name(), "'");
  SequenceState parsed{state.input_name(), state.output_name(), FromConfigType(state.data_type()),
                       Shape(state.dims().begin(), state.dims().end())};
  if (parsed.dtype == DataType::kInvalid) {
    return absl::InvalidArgumentError(absl::StrCat(where, " needs a data_type"));
  }
  if (parsed.dims.empty() ||
      std::any_of(parsed.dims.begin(), parsed.dims.end(), [](int64_t d) { return d < 1; })) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, " needs fixed dims, each >= 1 (variable-size state is not supported)"));
  }
  for (const auto& initial : state.initial_state()) {
    if (initial.state_data_case() != ModelSequenceBatching::InitialState::kZeroData ||
        !initial.zero_data()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": only zero_data initial states are supported"));
    }
  }
  return parsed;
}

const TensorSpec* FindSequenceSpec(const std::vector<TensorSpec>& specs, const std::string& name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

Status CheckProvidedTensor(const std::vector<TensorSpec>& specs, const std::string& name,
                           DataType dtype, const char* what) {
  const TensorSpec* spec = FindSequenceSpec(specs, name);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("sequence_batching ", what, " '", name, "' is not in the model"));
  }
  if (spec->dtype != dtype) {
    return absl::InvalidArgumentError(absl::StrCat("sequence_batching ", what, " '", name, "' is ",
                                                   DataTypeName(dtype), " in config.pbtxt but ",
                                                   DataTypeName(spec->dtype), " in the model"));
  }
  return absl::OkStatus();
}

Shape SequenceShape(const Shape& dims, bool batched) {
  Shape shape;
  if (batched) shape.push_back(1);
  shape.insert(shape.end(), dims.begin(), dims.end());
  return shape;
}

Tensor FlagTensor(const SequenceFlagControl& flag, bool batched, bool value) {
  const auto& bytes = value ? flag.true_value : flag.false_value;
  OwnedTensor t =
      MakeOwnedTensor(flag.input, flag.dtype, SequenceShape({1}, batched), bytes.size());
  std::copy(bytes.begin(), bytes.end(), t.writable.begin());
  return std::move(t.tensor);
}

template <typename T>
StatusOr<std::vector<std::byte>> CorrIdBytes(uint64_t id, DataType dtype) {
  if (id > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
    return absl::InvalidArgumentError(absl::StrCat("sequence id ", id, " does not fit the model's ",
                                                   DataTypeName(dtype), " CORRID control"));
  }
  return SequenceValueBytes<T>(static_cast<T>(id));
}

StatusOr<Tensor> CorrIdTensor(const SequenceCorrIdControl& control, bool batched,
                              const CorrelationId& id) {
  std::vector<std::byte> bytes;
  if (control.dtype == DataType::kBytes) {
    const std::string text = id.is_text() ? id.text : std::to_string(id.number);
    bytes = SequenceValueBytes<uint32_t>(static_cast<uint32_t>(text.size()));
    for (char c : text) bytes.push_back(static_cast<std::byte>(c));
  } else if (id.is_text()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sequence id ", id.ToString(), " is a string, but the model's CORRID control is ",
        DataTypeName(control.dtype), ": use an unsigned integer sequence id"));
  } else {
    StatusOr<std::vector<std::byte>> value = absl::InternalError("CORRID type");
    switch (control.dtype) {
      case DataType::kUint64:
        value = SequenceValueBytes<uint64_t>(id.number);
        break;
      case DataType::kInt64:
        value = CorrIdBytes<int64_t>(id.number, control.dtype);
        break;
      case DataType::kUint32:
        value = CorrIdBytes<uint32_t>(id.number, control.dtype);
        break;
      default:
        value = CorrIdBytes<int32_t>(id.number, control.dtype);
        break;
    }
    if (!value.ok()) return value.status();
    bytes = *std::move(value);
  }
  OwnedTensor t =
      MakeOwnedTensor(control.input, control.dtype, SequenceShape({1}, batched), bytes.size());
  std::copy(bytes.begin(), bytes.end(), t.writable.begin());
  return std::move(t.tensor);
}

}  // namespace

std::vector<std::string> SequenceControls::ProvidedInputs() const {
  std::vector<std::string> names;
  for (const auto* flag : {&start, &end, &ready}) {
    if (flag->has_value()) names.push_back((*flag)->input);
  }
  if (corrid) names.push_back(corrid->input);
  for (const auto& state : states) names.push_back(state.input);
  return names;
}

bool SequenceControls::IsStateOutput(std::string_view name) const {
  return std::any_of(states.begin(), states.end(),
                     [&](const SequenceState& s) { return s.output == name; });
}

StatusOr<SequenceControls> ParseSequenceControls(const ModelSequenceBatching& config) {
  SequenceControls controls;
  for (const auto& input : config.control_input()) {
    if (input.name().empty()) {
      return absl::InvalidArgumentError("a sequence_batching control input has no name");
    }
    if (input.control_size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("sequence_batching control input '", input.name(),
                       "' must have exactly one control (has ", input.control_size(), ")"));
    }
    const Control& control = input.control(0);
    std::optional<SequenceFlagControl>* flag = nullptr;
    switch (control.kind()) {
      case Control::CONTROL_SEQUENCE_START:
        flag = &controls.start;
        break;
      case Control::CONTROL_SEQUENCE_END:
        flag = &controls.end;
        break;
      case Control::CONTROL_SEQUENCE_READY:
        flag = &controls.ready;
        break;
      case Control::CONTROL_SEQUENCE_CORRID:
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat(
            "sequence_batching control input '", input.name(), "' has an unknown control kind"));
    }
    const bool taken = flag != nullptr ? flag->has_value() : controls.corrid.has_value();
    if (taken) {
      return absl::InvalidArgumentError(absl::StrCat("sequence_batching has more than one ",
                                                     ControlKindName(control.kind()), " control"));
    }
    if (flag != nullptr) {
      ASSIGN_OR_RETURN(*flag, ParseFlagControl(input.name(), control));
    } else {
      ASSIGN_OR_RETURN(controls.corrid, ParseCorrIdControl(input.name(), control));
    }
  }
  for (const auto& state : config.state()) {
    ASSIGN_OR_RETURN(SequenceState parsed, ParseState(state));
    controls.states.push_back(std::move(parsed));
  }
  std::set<std::string> seen;
  for (const auto& name : controls.ProvidedInputs()) {
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat("sequence_batching names input '", name,
                                                     "' twice (as a control or state input)"));
    }
  }
  std::set<std::string> outputs;
  for (const auto& state : controls.states) {
    if (!outputs.insert(state.output).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("sequence_batching names state output '", state.output, "' twice"));
    }
  }
  return controls;
}

Status ValidateSequenceAgainstSignature(const SequenceControls& controls,
                                        const ModelSignature& signature) {
  for (const auto* flag : {&controls.start, &controls.end, &controls.ready}) {
    if (!flag->has_value()) continue;
    RETURN_IF_ERROR(
        CheckProvidedTensor(signature.inputs, (*flag)->input, (*flag)->dtype, "control input"));
  }
  if (controls.corrid) {
    RETURN_IF_ERROR(CheckProvidedTensor(signature.inputs, controls.corrid->input,
                                        controls.corrid->dtype, "control input"));
  }
  for (const auto& state : controls.states) {
    RETURN_IF_ERROR(CheckProvidedTensor(signature.inputs, state.input, state.dtype, "state input"));
    RETURN_IF_ERROR(
        CheckProvidedTensor(signature.outputs, state.output, state.dtype, "state output"));
  }
  return absl::OkStatus();
}

Status AppendControlTensors(const SequenceControls& controls, bool batched, const CorrelationId& id,
                            bool start, bool end, std::vector<Tensor>& inputs) {
  if (controls.corrid) {
    ASSIGN_OR_RETURN(Tensor corrid, CorrIdTensor(*controls.corrid, batched, id));
    inputs.push_back(std::move(corrid));
  }
  if (controls.start) inputs.push_back(FlagTensor(*controls.start, batched, start));
  if (controls.end) inputs.push_back(FlagTensor(*controls.end, batched, end));
  if (controls.ready) inputs.push_back(FlagTensor(*controls.ready, batched, true));
  return absl::OkStatus();
}

Tensor InitialStateTensor(const SequenceState& state, bool batched) {
  Shape shape = SequenceShape(state.dims, batched);
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  // BYTES: each element an empty string (a zero 4-byte length).
  const size_t element = state.dtype == DataType::kBytes ? 4 : ElementSize(state.dtype);
  return MakeOwnedTensor(state.input, state.dtype, std::move(shape),
                         static_cast<size_t>(count) * element)
      .tensor;
}

}  // namespace inferd::core
