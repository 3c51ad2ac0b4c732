#include "core/request_validator.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "core/bytes_layout.h"

// The messages are Triton's (core's InferenceRequest checks), word for word up to the request id
// prefix, because clients and scripts written for Triton match on them; the checks also run in
// Triton's order (input count, names, batch size, then per input datatype, shape, byte size).
namespace inferd::core {
namespace {

// Triton's "[request id: ...] " prefix of every request error.
std::string RequestPrefix(const InferenceRequest& request) {
  return absl::StrCat("[request id: ", request.id.empty() ? "<id_unknown>" : request.id, "] ");
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const auto& name : names) absl::StrAppend(&out, out.size() > 1 ? "," : "", "'", name, "'");
  return out + "]";
}

Shape ConfigShape(const ::inference::ModelInput& input, int max_batch_size) {
  Shape shape;
  if (max_batch_size > 0) shape.push_back(-1);
  shape.insert(shape.end(), input.dims().begin(), input.dims().end());
  return shape;
}

// Too few or too many inputs (`counting_only`), or else a required one missing: Triton's count
// message naming both.
Status CheckInputCount(const ::inference::ModelConfig& config, const InferenceRequest& request,
                       bool counting_only) {
  std::vector<std::string> missing;
  int required = 0;
  for (const auto& spec : config.input()) {
    if (spec.optional()) continue;
    ++required;
    const bool given = std::any_of(request.inputs.begin(), request.inputs.end(),
                                   [&](const Tensor& t) { return t.name == spec.name(); });
    if (!given) missing.push_back(spec.name());
  }
  const auto given = static_cast<int>(request.inputs.size());
  const bool count_ok = given >= required && given <= config.input_size();
  if (count_ok && (counting_only || missing.empty())) return absl::OkStatus();
  std::vector<std::string> names;
  for (const auto& tensor : request.inputs) names.push_back(tensor.name);
  const std::string expected = required == config.input_size()
                                   ? absl::StrCat("expected ", required, " inputs")
                                   : absl::StrCat("expected number of inputs between ", required,
                                                  " and ", config.input_size());
  return absl::InvalidArgumentError(absl::StrCat(
      RequestPrefix(request), expected, " but got ", given, " inputs for model '", config.name(),
      "'. Got input(s) ", QuotedList(names), ", but missing required input(s) ",
      QuotedList(missing), ". Please provide all required input(s)."));
}

// Every input's first dimension is the batch size when the model batches; at most max_batch_size.
Status CheckBatchSize(const ::inference::ModelConfig& config, const InferenceRequest& request) {
  if (config.max_batch_size() <= 0) return absl::OkStatus();
  const std::string prefix = RequestPrefix(request);
  int64_t batch_size = -1;
  for (const auto& tensor : request.inputs) {
    if (tensor.shape.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          prefix, "input '", tensor.name, "' has no shape but model requires batch dimension for '",
          config.name(), "'"));
    }
    if (batch_size < 0) {
      batch_size = tensor.shape[0];
    } else if (tensor.shape[0] != batch_size) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "input '", tensor.name,
                       "' batch size does not match other inputs for '", config.name(), "'"));
    }
  }
  if (batch_size > config.max_batch_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "inference request batch-size must be <= ", config.max_batch_size(),
                     " for '", config.name(), "'"));
  }
  if (batch_size < 1 && !request.inputs.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        prefix, "inference request batch-size must be >= 1 for '", config.name(), "'"));
  }
  return absl::OkStatus();
}

Status CheckByteSize(const InferenceRequest& request, const std::string& model,
                     const Tensor& tensor, int64_t elements) {
  if (tensor.dtype == DataType::kBytes) {
    auto count = CountBytesElements(tensor.data);
    if (!count.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          RequestPrefix(request), "malformed string data for inference input '", tensor.name,
          "' for model '", model, "': ", std::string(count.status().message())));
    }
    if (*count > elements) {
      // Triton stops reading at the first element too many.
      return absl::InvalidArgumentError(
          absl::StrCat(RequestPrefix(request), "unexpected number of string elements ",
                       elements + 1, " for inference input '", tensor.name, "' for model '", model,
                       "', expecting ", elements));
    }
    if (*count != elements) {
      return absl::InvalidArgumentError(absl::StrCat(
          RequestPrefix(request), "expected ", elements, " string elements for inference input '",
          tensor.name, "' for model '", model, "', got ", *count));
    }
    return absl::OkStatus();
  }
  const auto expected = static_cast<uint64_t>(elements) * ElementSize(tensor.dtype);
  if (tensor.data.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        RequestPrefix(request), "input byte size mismatch for input '", tensor.name,
        "' for model '", model, "'. Expected ", expected, ", got ", tensor.data.size()));
  }
  return absl::OkStatus();
}

Status CheckInput(const ::inference::ModelConfig& config, const ::inference::ModelInput& spec,
                  const InferenceRequest& request, Tensor& tensor) {
  const std::string& model = config.name();
  const DataType expected_type = FromConfigType(spec.data_type());
  if (tensor.dtype != expected_type) {
    return absl::InvalidArgumentError(
        absl::StrCat(RequestPrefix(request), "inference input '", tensor.name, "' data-type is '",
                     DataTypeName(tensor.dtype), "', but model '", model, "' expects '",
                     DataTypeName(expected_type), "'"));
  }
  const Shape expected_shape = ConfigShape(spec, config.max_batch_size());
  if (!ShapeMatches(expected_shape, tensor.shape)) {
    return absl::InvalidArgumentError(absl::StrCat(
        RequestPrefix(request), "unexpected shape for input '", tensor.name, "' for model '", model,
        "'. Expected ", ShapeToString(expected_shape), ", got ", ShapeToString(tensor.shape), ".",
        config.max_batch_size() > 0
            ? " NOTE: Setting a non-zero max_batch_size in the model config requires a batch "
              "dimension to be prepended to each input shape. If you want to specify the full "
              "shape including the batch dim in your input dims config, try setting "
              "max_batch_size to zero. See the model configuration docs for more info on "
              "max_batch_size."
            : ""));
  }
  ASSIGN_OR_RETURN(int64_t elements, ElementCount(tensor.shape));
  RETURN_IF_ERROR(CheckByteSize(request, model, tensor, elements));
  if (spec.has_reshape()) {
    Shape reshaped;
    if (config.max_batch_size() > 0) reshaped.push_back(tensor.shape[0]);
    reshaped.insert(reshaped.end(), spec.reshape().shape().begin(), spec.reshape().shape().end());
    tensor.shape = std::move(reshaped);
  }
  return absl::OkStatus();
}

Status CheckOutputs(const ::inference::ModelConfig& config, const InferenceRequest& request) {
  absl::flat_hash_set<std::string> seen;
  for (const auto& name : request.requested_outputs) {
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(RequestPrefix(request), "output '", name, "' already exists in request"));
    }
    const bool known = std::any_of(config.output().begin(), config.output().end(),
                                   [&](const auto& o) { return o.name() == name; });
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected inference output '", name, "' for model '", config.name(), "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Status ValidateRequest(const ::inference::ModelConfig& config, InferenceRequest& request) {
  absl::flat_hash_set<std::string> seen;
  for (const auto& tensor : request.inputs) {
    if (!seen.insert(tensor.name).second) {
      return absl::InvalidArgumentError(absl::StrCat(RequestPrefix(request), "input '", tensor.name,
                                                     "' already exists in request"));
    }
  }
  RETURN_IF_ERROR(CheckInputCount(config, request, /*counting_only=*/true));
  for (const auto& tensor : request.inputs) {
    const bool known = std::any_of(config.input().begin(), config.input().end(),
                                   [&](const auto& spec) { return spec.name() == tensor.name; });
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected inference input '", tensor.name,
                                                     "' for model '", config.name(), "'"));
    }
  }
  RETURN_IF_ERROR(CheckInputCount(config, request, /*counting_only=*/false));
  RETURN_IF_ERROR(CheckBatchSize(config, request));
  std::vector<Tensor> ordered;
  ordered.reserve(request.inputs.size());
  for (const auto& spec : config.input()) {
    auto it = std::find_if(request.inputs.begin(), request.inputs.end(),
                           [&](const Tensor& t) { return t.name == spec.name(); });
    if (it == request.inputs.end()) continue;  // optional: CheckInputCount saw every required one
    RETURN_IF_ERROR(CheckInput(config, spec, request, *it));
    ordered.push_back(std::move(*it));
  }
  request.inputs = std::move(ordered);
  return CheckOutputs(config, request);
}

}  // namespace inferd::core
