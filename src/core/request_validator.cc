#include "core/request_validator.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/bytes_layout.h"

namespace inferd::core {
namespace {

std::string ModelRef(const ::inference::ModelConfig& config) {
  return absl::StrCat("model '", config.name(), "'");
}

Shape ConfigShape(const ::inference::ModelInput& input, int max_batch_size) {
  Shape shape;
  if (max_batch_size > 0) shape.push_back(-1);
  shape.insert(shape.end(), input.dims().begin(), input.dims().end());
  return shape;
}

Status CheckByteSize(const Tensor& tensor, int64_t elements) {
  if (tensor.dtype == DataType::kBytes) {
    ASSIGN_OR_RETURN(int64_t count, CountBytesElements(tensor.data));
    if (count != elements) {
      return absl::InvalidArgumentError(
          absl::StrCat("input '", tensor.name, "' has ", count, " BYTES elements but shape ",
                       ShapeToString(tensor.shape), " needs ", elements));
    }
    return absl::OkStatus();
  }
  const auto expected = static_cast<uint64_t>(elements) * ElementSize(tensor.dtype);
  if (tensor.data.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input '", tensor.name, "' has ", tensor.data.size(), " bytes of data but shape ",
        ShapeToString(tensor.shape), " of ", DataTypeName(tensor.dtype), " needs ", expected));
  }
  return absl::OkStatus();
}

Status CheckInput(const ::inference::ModelConfig& config, const ::inference::ModelInput& spec,
                  Tensor& tensor, int64_t& batch_size) {
  const DataType expected_type = FromConfigType(spec.data_type());
  if (tensor.dtype != expected_type) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unexpected datatype ", DataTypeName(tensor.dtype), " for input '", tensor.name, "', ",
        ModelRef(config), " expects ", DataTypeName(expected_type)));
  }
  const Shape expected_shape = ConfigShape(spec, config.max_batch_size());
  if (!ShapeMatches(expected_shape, tensor.shape)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unexpected shape for input '", tensor.name, "' for ", ModelRef(config), ". Expected ",
        ShapeToString(expected_shape), ", got ", ShapeToString(tensor.shape)));
  }
  ASSIGN_OR_RETURN(int64_t elements, ElementCount(tensor.shape));
  if (config.max_batch_size() > 0) {
    const int64_t batch = tensor.shape[0];
    if (batch < 1 || batch > config.max_batch_size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "inference request batch-size must be in [1, ", config.max_batch_size(), "] for ",
          ModelRef(config), ", got ", batch, " for input '", tensor.name, "'"));
    }
    if (batch_size >= 0 && batch != batch_size) {
      return absl::InvalidArgumentError(
          absl::StrCat("all inputs must have the same batch size; input '", tensor.name, "' has ",
                       batch, ", an earlier input has ", batch_size));
    }
    batch_size = batch;
  }
  RETURN_IF_ERROR(CheckByteSize(tensor, elements));
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
      return absl::InvalidArgumentError(absl::StrCat("output '", name, "' is requested twice"));
    }
    const bool known = std::any_of(config.output().begin(), config.output().end(),
                                   [&](const auto& o) { return o.name() == name; });
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected inference output '", name, "' for ", ModelRef(config)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Status ValidateRequest(const ::inference::ModelConfig& config, InferenceRequest& request) {
  absl::flat_hash_set<std::string> seen;
  for (const auto& tensor : request.inputs) {
    if (!seen.insert(tensor.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("input '", tensor.name, "' is given twice"));
    }
    const bool known = std::any_of(config.input().begin(), config.input().end(),
                                   [&](const auto& spec) { return spec.name() == tensor.name; });
    if (!known) {
      std::vector<std::string> names;
      for (const auto& spec : config.input()) names.push_back(spec.name());
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected inference input '", tensor.name, "' for ", ModelRef(config),
                       ", allowed inputs are: ", absl::StrJoin(names, ", ")));
    }
  }
  std::vector<Tensor> ordered;
  ordered.reserve(request.inputs.size());
  int64_t batch_size = -1;
  for (const auto& spec : config.input()) {
    auto it = std::find_if(request.inputs.begin(), request.inputs.end(),
                           [&](const Tensor& t) { return t.name == spec.name(); });
    if (it == request.inputs.end()) {
      if (spec.optional()) continue;
      return absl::InvalidArgumentError(
          absl::StrCat("expected input '", spec.name(), "' for ", ModelRef(config), " is missing"));
    }
    RETURN_IF_ERROR(CheckInput(config, spec, *it, batch_size));
    ordered.push_back(std::move(*it));
  }
  request.inputs = std::move(ordered);
  return CheckOutputs(config, request);
}

}  // namespace inferd::core
