#include "frontend/grpc/infer_codec.h"

#include <charconv>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "frontend/grpc/tensor_codec.h"

namespace inferd::frontend::grpc {
namespace {

using ::inference::InferParameter;
using ::inference::ModelInferRequest;
constexpr int kMaxRank = 32;
constexpr uint64_t kMaxClassificationCount = uint64_t{1} << 20;  // as the HTTP front end

// "priority" and "timeout" (microseconds) arrive as int64_param from most clients (Triton's
// own client) and as uint64_param from some; a negative value is a client error.
Status ReadUintParameter(const google::protobuf::Map<std::string, InferParameter>& parameters,
                         const char* key, uint64_t& field) {
  auto it = parameters.find(key);
  if (it == parameters.end()) return absl::OkStatus();
  const InferParameter& value = it->second;
  if (value.parameter_choice_case() == InferParameter::kUint64Param) {
    field = value.uint64_param();
    return absl::OkStatus();
  }
  if (value.parameter_choice_case() == InferParameter::kInt64Param && value.int64_param() >= 0) {
    field = static_cast<uint64_t>(value.int64_param());
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("parameter '", key, "' must be a non-negative int64 or uint64"));
}

// Triton's sequence parameters: a correlation id is a non-negative int64, a uint64 or a non-empty
// string; start and end flags are bool_param. A malformed value is a client error even for a
// model without sequence batching (as in Triton).
Status DecodeSequenceParameters(const google::protobuf::Map<std::string, InferParameter>& params,
                                core::InferenceRequest& request) {
  if (auto it = params.find("sequence_id"); it != params.end()) {
    const InferParameter& id = it->second;
    if (id.parameter_choice_case() == InferParameter::kUint64Param) {
      request.sequence_id.number = id.uint64_param();
    } else if (id.parameter_choice_case() == InferParameter::kInt64Param && id.int64_param() >= 0) {
      request.sequence_id.number = static_cast<uint64_t>(id.int64_param());
    } else if (id.parameter_choice_case() == InferParameter::kStringParam &&
               !id.string_param().empty()) {
      request.sequence_id.text = id.string_param();
    } else {
      return absl::InvalidArgumentError(
          "parameter 'sequence_id' must be a non-negative int64, a uint64 or a non-empty string");
    }
  }
  for (auto [flag, field] : {std::pair{"sequence_start", &request.sequence_start},
                             std::pair{"sequence_end", &request.sequence_end}}) {
    auto it = params.find(flag);
    if (it == params.end()) continue;
    if (it->second.parameter_choice_case() != InferParameter::kBoolParam) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter '", flag, "' must be a bool_param"));
    }
    *field = it->second.bool_param();
  }
  return absl::OkStatus();
}

StatusOr<core::Tensor> DecodeHeader(const ModelInferRequest::InferInputTensor& input,
                                    const DecodeLimits& limits, int64_t& count) {
  core::Tensor tensor;
  tensor.name = input.name();
  const auto dtype = core::ParseDataType(input.datatype());
  if (!dtype) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "': unknown datatype '", input.datatype(), "'"));
  }
  tensor.dtype = *dtype;
  if (input.shape_size() > kMaxRank) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "': shape has too many dimensions"));
  }
  tensor.shape.assign(input.shape().begin(), input.shape().end());
  auto elements = core::ElementCount(tensor.shape, limits.max_elements);
  if (!elements.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("input '", tensor.name, "': shape ",
                                                   core::ShapeToString(tensor.shape), ": ",
                                                   std::string(elements.status().message())));
  }
  count = *elements;
  return tensor;
}

// The shared-memory parameters of a tensor (Triton: region a string_param, offset and byte size
// int64_param; uint64_param is accepted too). nullopt when it names no region.
struct ShmParams {
  std::string region;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
};

StatusOr<uint64_t> ShmUintParameter(const InferParameter& value, const char* key,
                                    const std::string& tensor) {
  if (value.parameter_choice_case() == InferParameter::kInt64Param && value.int64_param() >= 0) {
    return static_cast<uint64_t>(value.int64_param());
  }
  if (value.parameter_choice_case() == InferParameter::kUint64Param) return value.uint64_param();
  return absl::InvalidArgumentError(absl::StrCat("invalid value type for '", key,
                                                 "' parameter for tensor '", tensor,
                                                 "', expected a non-negative int64_param."));
}

template <typename TensorMessage>
StatusOr<std::optional<ShmParams>> ParseShmParams(const TensorMessage& tensor) {
  const auto& params = tensor.parameters();
  const auto region = params.find("shared_memory_region");
  const auto offset = params.find("shared_memory_offset");
  const auto size = params.find("shared_memory_byte_size");
  if (region == params.end()) {
    if (offset != params.end() || size != params.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'shared_memory_offset' and 'shared_memory_byte_size' can not be specified without "
          "'shared_memory_region' parameter for tensor '",
          tensor.name(), "'"));
    }
    return std::nullopt;
  }
  if (region->second.parameter_choice_case() != InferParameter::kStringParam) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid value type for 'shared_memory_region' parameter for tensor '",
                     tensor.name(), "', expected string_param."));
  }
  ShmParams out{region->second.string_param()};
  if (offset != params.end()) {
    ASSIGN_OR_RETURN(out.offset,
                     ShmUintParameter(offset->second, "shared_memory_offset", tensor.name()));
  }
  if (size == params.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'shared_memory_byte_size' must be specified along with "
                     "'shared_memory_region' parameter for tensor '",
                     tensor.name(), "'"));
  }
  ASSIGN_OR_RETURN(out.byte_size,
                   ShmUintParameter(size->second, "shared_memory_byte_size", tensor.name()));
  return out;
}

StatusOr<core::SharedMemoryBlock> ShmBlock(const core::SharedMemoryRegistry* registry,
                                           const ShmParams& shm) {
  if (registry == nullptr) {
    return absl::FailedPreconditionError("shared memory is not enabled on this server");
  }
  return registry->Block(shm.region, shm.offset, shm.byte_size);
}

// Fixed-size inputs are used in place; BYTES are copied first, since the client could change
// the element lengths under the server after they were checked.
Status ShmToTensor(const core::SharedMemoryRegistry* registry, const ShmParams& shm, int64_t count,
                   core::Tensor& tensor) {
  ASSIGN_OR_RETURN(core::SharedMemoryBlock block, ShmBlock(registry, shm));
  if (tensor.dtype == core::DataType::kBytes) {
    auto copy = std::make_shared<const std::string>(
        reinterpret_cast<const char*>(block.bytes.data()), block.bytes.size());
    RETURN_IF_ERROR(RawToTensor(*copy, tensor));
    tensor.owner = std::move(copy);
    return absl::OkStatus();
  }
  if (shm.byte_size != static_cast<uint64_t>(count) * core::ElementSize(tensor.dtype)) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "': shared_memory_byte_size ", shm.byte_size,
                     " does not match shape ", core::ShapeToString(tensor.shape), " of ",
                     core::DataTypeName(tensor.dtype)));
  }
  tensor.data = block.bytes;
  tensor.owner = std::move(block.owner);
  return absl::OkStatus();
}

// Raw and typed data may not be mixed: either raw_input_contents holds one entry per input not
// in shared memory, or every such input carries its own typed contents (the protocol's rule).
Status CheckDataForm(const ModelInferRequest& message, bool raw, int shm_inputs) {
  if (!raw) return absl::OkStatus();
  for (const auto& input : message.inputs()) {
    if (ContentsSize(input.contents()) > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", input.name(),
          "' has typed contents while the request uses raw_input_contents; use one form for "
          "all inputs"));
    }
  }
  if (message.raw_input_contents_size() != message.inputs_size() - shm_inputs) {
    return absl::InvalidArgumentError(
        absl::StrCat("raw_input_contents has ", message.raw_input_contents_size(), " entries for ",
                     message.inputs_size() - shm_inputs, " inputs not in shared memory"));
  }
  return absl::OkStatus();
}

Status DecodeInputs(const ModelInferRequest& message, const DecodeLimits& limits, bool raw,
                    const core::SharedMemoryRegistry* registry, core::InferenceRequest& request) {
  std::vector<std::optional<ShmParams>> shm(message.inputs_size());
  int shm_inputs = 0;
  for (int i = 0; i < message.inputs_size(); ++i) {
    ASSIGN_OR_RETURN(shm[i], ParseShmParams(message.inputs(i)));
    if (!shm[i].has_value()) continue;
    ++shm_inputs;
    if (ContentsSize(message.inputs(i).contents()) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("input '", message.inputs(i).name(),
                       "' has contents and 'shared_memory_region': use one of them"));
    }
  }
  RETURN_IF_ERROR(CheckDataForm(message, raw, shm_inputs));
  absl::flat_hash_set<std::string> seen;
  int raw_index = 0;
  for (int i = 0; i < message.inputs_size(); ++i) {
    const auto& input = message.inputs(i);
    int64_t count = 0;
    ASSIGN_OR_RETURN(core::Tensor tensor, DecodeHeader(input, limits, count));
    if (!seen.insert(tensor.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("input '", tensor.name, "' appears twice"));
    }
    if (shm[i].has_value()) {
      RETURN_IF_ERROR(ShmToTensor(registry, *shm[i], count, tensor));
    } else if (raw) {
      RETURN_IF_ERROR(RawToTensor(message.raw_input_contents(raw_index++), tensor));
    } else {
      RETURN_IF_ERROR(TypedToTensor(input.contents(), count, tensor));
    }
    request.inputs.push_back(std::move(tensor));
  }
  return absl::OkStatus();
}

// The output's "classification" parameter: 0 when absent. Triton's clients send int64_param;
// uint64_param is accepted too. Anything else (bool, string, double, <= 0) is a client error.
StatusOr<int> ClassificationCount(const ModelInferRequest::InferRequestedOutputTensor& output) {
  auto it = output.parameters().find("classification");
  if (it == output.parameters().end()) return 0;
  const InferParameter& value = it->second;
  uint64_t count = 0;
  if (value.parameter_choice_case() == InferParameter::kInt64Param && value.int64_param() > 0) {
    count = static_cast<uint64_t>(value.int64_param());
  } else if (value.parameter_choice_case() == InferParameter::kUint64Param) {
    count = value.uint64_param();
  }
  if (count == 0 || count > kMaxClassificationCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("output '", output.name(),
                     "': parameter 'classification' must be a positive int64 or uint64 (at most ",
                     kMaxClassificationCount, ")"));
  }
  return static_cast<int>(count);
}

Status DecodeOutputs(const ModelInferRequest& message, const core::SharedMemoryRegistry* registry,
                     DecodedInferRequest& decoded) {
  absl::flat_hash_set<std::string> seen;
  for (const auto& output : message.outputs()) {
    if (!seen.insert(output.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("output '", output.name(), "' is requested twice"));
    }
    decoded.request->requested_outputs.push_back(output.name());
    ASSIGN_OR_RETURN(const int count, ClassificationCount(output));
    if (count > 0) decoded.classifications.push_back({output.name(), count});
    ASSIGN_OR_RETURN(std::optional<ShmParams> shm, ParseShmParams(output));
    if (!shm.has_value()) continue;
    if (count > 0) {
      return absl::InvalidArgumentError(
          "output can't set both 'shared_memory_region' and 'classification'");
    }
    ASSIGN_OR_RETURN(core::SharedMemoryBlock block, ShmBlock(registry, *shm));
    decoded.shared_memory_outputs.push_back(
        {output.name(), shm->region, shm->offset, shm->byte_size, std::move(block)});
  }
  return absl::OkStatus();
}

}  // namespace

StatusOr<int64_t> ParseModelVersion(const std::string& version) {
  if (version.empty()) return 0;
  int64_t value = 0;
  const auto parsed = std::from_chars(version.data(), version.data() + version.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != version.data() + version.size() || value <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("model version '", version, "' is not a positive integer"));
  }
  return value;
}

StatusOr<DecodedInferRequest> DecodeInferRequest(std::shared_ptr<const ModelInferRequest> message,
                                                 const DecodeLimits& limits,
                                                 const core::SharedMemoryRegistry* registry) {
  DecodedInferRequest decoded;
  decoded.request = std::make_unique<core::InferenceRequest>();
  core::InferenceRequest& request = *decoded.request;
  request.model_name = message->model_name();
  ASSIGN_OR_RETURN(request.model_version, ParseModelVersion(message->model_version()));
  request.id = message->id();
  RETURN_IF_ERROR(ReadUintParameter(message->parameters(), "priority", request.priority));
  RETURN_IF_ERROR(ReadUintParameter(message->parameters(), "timeout", request.timeout_us));
  RETURN_IF_ERROR(DecodeSequenceParameters(message->parameters(), request));
  const bool raw_inputs = message->raw_input_contents_size() > 0;
  RETURN_IF_ERROR(DecodeInputs(*message, limits, raw_inputs, registry, request));
  RETURN_IF_ERROR(DecodeOutputs(*message, registry, decoded));
  request.body = std::move(message);
  return decoded;
}

Status EncodeInferResponse(const core::InferenceResponse& response,
                           ::inference::ModelInferResponse& out,
                           const std::vector<SharedMemoryOutput>& shared_memory) {
  out.set_model_name(response.model_name);
  out.set_model_version(std::to_string(response.model_version));
  out.set_id(response.id);
  for (const core::Tensor& tensor : response.outputs) {
    auto* output = out.add_outputs();
    output->set_name(tensor.name);
    output->set_datatype(core::DataTypeName(tensor.dtype));
    output->mutable_shape()->Add(tensor.shape.begin(), tensor.shape.end());
    const SharedMemoryOutput* shm = nullptr;
    for (const SharedMemoryOutput& candidate : shared_memory) {
      if (candidate.output == tensor.name) shm = &candidate;
    }
    if (shm != nullptr) {
      RETURN_IF_ERROR(core::WriteOutputToSharedMemory(tensor.name, tensor.data, shm->block));
      auto& params = *output->mutable_parameters();
      params["shared_memory_region"].set_string_param(shm->region);
      params["shared_memory_byte_size"].set_int64_param(static_cast<int64_t>(shm->byte_size));
      if (shm->offset != 0) {
        params["shared_memory_offset"].set_int64_param(static_cast<int64_t>(shm->offset));
      }
      out.add_raw_output_contents();
      continue;
    }
    // The core BYTES layout is already the protocol's (length-prefixed elements).
    TensorToRaw(tensor, *out.add_raw_output_contents());
  }
  return absl::OkStatus();
}

}  // namespace inferd::frontend::grpc
