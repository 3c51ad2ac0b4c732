#include "backend/libtorch/torch_io_binding.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace inferd::backend::libtorch {
namespace {

constexpr const char* kServedTypes =
    "BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64";

// "forward(x: Tensor, y: Tensor) -> Tensor", for messages.
std::string DescribeForward(const ForwardSchema& schema) {
  std::vector<std::string> arguments;
  for (const auto& argument : schema.arguments) {
    arguments.push_back(absl::StrCat(argument.name, ": ", argument.type));
  }
  return absl::StrCat("forward(", absl::StrJoin(arguments, ", "), ") -> ", schema.return_type);
}

// The N of "<name>__<N>"; nullopt when the name does not follow Triton's convention.
std::optional<size_t> ConventionIndex(const std::string& name) {
  const size_t at = name.rfind("__");
  if (at == std::string::npos || at + 2 == name.size()) return std::nullopt;
  size_t index = 0;
  const std::string digits = name.substr(at + 2);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      !absl::SimpleAtoi(digits, &index)) {
    return std::nullopt;
  }
  return index;
}

template <typename IO>
Status CheckTorchType(const char* what, const IO& io) {
  const core::DataType type = core::FromConfigType(io.data_type());
  if (!TorchHasType(type)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", io.name(), "' is ", ::inference::DataType_Name(io.data_type()),
                     ", which libtorch has not; the libtorch backend serves ", kServedTypes));
  }
  return absl::OkStatus();
}

Status BindInputs(const ::inference::ModelConfig& config, const ForwardSchema& schema,
                  IoBinding& binding) {
  const auto& arguments = schema.arguments;
  binding.argument_inputs.assign(arguments.size(), "");
  auto argument_named = [&](const std::string& name) -> std::optional<size_t> {
    for (size_t i = 0; i < arguments.size(); ++i) {
      if (arguments[i].name == name) return i;
    }
    return std::nullopt;
  };
  const bool by_name = std::all_of(config.input().begin(), config.input().end(),
                                   [&](const auto& in) { return argument_named(in.name()); });
  for (const auto& in : config.input()) {
    RETURN_IF_ERROR(CheckTorchType("input", in));
    std::optional<size_t> position =
        by_name ? argument_named(in.name()) : ConventionIndex(in.name());
    if (!position.has_value() || *position >= arguments.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", in.name(), "' is neither an argument of ", DescribeForward(schema),
          " nor named <name>__<index> with an index below ", arguments.size()));
    }
    if (!binding.argument_inputs[*position].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("inputs '", binding.argument_inputs[*position],
                                                     "' and '", in.name(), "' both feed argument ",
                                                     *position, " of forward()"));
    }
    binding.argument_inputs[*position] = in.name();
  }
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& type = arguments[i].type;
    if (type != "Tensor" && type != "Optional[Tensor]") {
      return absl::InvalidArgumentError(
          absl::StrCat("argument '", arguments[i].name, "' of ", DescribeForward(schema), " is ",
                       type, "; the libtorch backend feeds Tensor and Optional[Tensor] arguments"));
    }
    if (binding.argument_inputs[i].empty() && type != "Optional[Tensor]") {
      return absl::InvalidArgumentError(absl::StrCat("no input in config.pbtxt feeds argument '",
                                                     arguments[i].name, "' of ",
                                                     DescribeForward(schema)));
    }
  }
  return absl::OkStatus();
}

Status BindOutputs(const ::inference::ModelConfig& config, const ForwardSchema& schema,
                   IoBinding& binding) {
  if (schema.output_count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(DescribeForward(schema), " returns ", schema.return_type,
                     "; the libtorch backend serves a Tensor, a Tuple of Tensors or a List of "
                     "Tensors (return a tuple instead of a dict)"));
  }
  const bool by_convention =
      std::all_of(config.output().begin(), config.output().end(),
                  [](const auto& out) { return ConventionIndex(out.name()).has_value(); });
  std::set<size_t> used;
  for (int k = 0; k < config.output_size(); ++k) {
    const auto& out = config.output(k);
    RETURN_IF_ERROR(CheckTorchType("output", out));
    const size_t index = by_convention ? *ConventionIndex(out.name()) : static_cast<size_t>(k);
    if (schema.output_count > 0 && index >= static_cast<size_t>(schema.output_count)) {
      return absl::InvalidArgumentError(
          absl::StrCat("output '", out.name(), "' is tensor ", index, " of the result, but ",
                       DescribeForward(schema), " returns ", schema.output_count));
    }
    if (!used.insert(index).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("two outputs are tensor ", index, " of the result"));
    }
    binding.outputs.push_back({out.name(), index, core::FromConfigType(out.data_type())});
  }
  return absl::OkStatus();
}

}  // namespace

bool TorchHasType(core::DataType type) {
  switch (type) {
    case core::DataType::kBool:
    case core::DataType::kUint8:
    case core::DataType::kInt8:
    case core::DataType::kInt16:
    case core::DataType::kInt32:
    case core::DataType::kInt64:
    case core::DataType::kFp16:
    case core::DataType::kBf16:
    case core::DataType::kFp32:
    case core::DataType::kFp64:
      return true;
    default:
      return false;
  }
}

StatusOr<IoBinding> BindTorchIo(const ::inference::ModelConfig& config,
                                const ForwardSchema& schema) {
  if (config.input().empty() || config.output().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a TorchScript file declares no element types or shapes, so config.pbtxt must list the "
        "model's inputs and outputs; the model has ",
        DescribeForward(schema)));
  }
  IoBinding binding;
  RETURN_IF_ERROR(BindInputs(config, schema, binding));
  RETURN_IF_ERROR(BindOutputs(config, schema, binding));
  return binding;
}

}  // namespace inferd::backend::libtorch
