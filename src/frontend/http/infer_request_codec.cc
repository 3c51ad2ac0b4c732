#include "frontend/http/infer_request_codec.h"

#include <charconv>
#include <cstring>
#include <span>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "frontend/http/json_parse.h"
#include "frontend/http/json_tensor.h"

namespace inferd::frontend::http {
namespace {

using rapidjson::Value;
constexpr size_t kMaxRank = 32;

Status Invalid(std::string_view input, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("input '", std::string(input), "': ", std::string(message)));
}

// The binary section of the body, consumed front to back by the inputs that declare
// binary_data_size.
struct BinaryCursor {
  std::span<const std::byte> rest;
};

StatusOr<size_t> ParseHeaderLength(std::optional<std::string_view> text, size_t body_size) {
  if (!text.has_value()) return body_size;
  uint64_t length = 0;
  const auto parsed = std::from_chars(text->data(), text->data() + text->size(), length);
  if (text->empty() || parsed.ec != std::errc() || parsed.ptr != text->data() + text->size()) {
    return absl::InvalidArgumentError(absl::StrCat("Inference-Header-Content-Length '",
                                                   std::string(*text), "' is not a valid length"));
  }
  if (length > body_size) {
    return absl::InvalidArgumentError(absl::StrCat("Inference-Header-Content-Length ", length,
                                                   " exceeds the body size ", body_size));
  }
  return static_cast<size_t>(length);
}

const Value* FindMember(const Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

StatusOr<core::Shape> DecodeShape(const Value* shape, std::string_view input) {
  if (shape == nullptr || !shape->IsArray()) return Invalid(input, "'shape' must be an array");
  if (shape->Size() > kMaxRank) return Invalid(input, "'shape' has too many dimensions");
  core::Shape dims;
  for (const Value& dim : shape->GetArray()) {
    if (!dim.IsInt64() || dim.GetInt64() < 0) {
      return Invalid(input, "'shape' must hold non-negative integers");
    }
    dims.push_back(dim.GetInt64());
  }
  return dims;
}

// BYTES binary layout: per element a 4-byte little-endian length and that many bytes, filling
// the span exactly.
Status CheckBytesLayout(std::span<const std::byte> data, int64_t count, std::string_view input) {
  size_t offset = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (data.size() - offset < 4) return Invalid(input, "BYTES binary data is truncated");
    uint32_t length;
    std::memcpy(&length, data.data() + offset, 4);
    offset += 4;
    if (data.size() - offset < length) return Invalid(input, "BYTES binary data is truncated");
    offset += length;
  }
  if (offset != data.size()) return Invalid(input, "BYTES binary data has trailing bytes");
  return absl::OkStatus();
}

StatusOr<core::Tensor> DecodeBinaryInput(const Value& size_value, core::Tensor tensor,
                                         int64_t count, BinaryCursor& cursor) {
  if (!size_value.IsUint64()) {
    return Invalid(tensor.name, "'binary_data_size' must be a non-negative integer");
  }
  const uint64_t size = size_value.GetUint64();
  if (size > cursor.rest.size()) {
    return Invalid(tensor.name, absl::StrCat("binary_data_size ", size, " exceeds the ",
                                             cursor.rest.size(), " binary bytes left"));
  }
  tensor.data = cursor.rest.first(size);
  cursor.rest = cursor.rest.subspan(size);
  // A fixed-size tensor's byte size is checked against the model with its other checks, in
  // Triton's words (core::ValidateRequest).
  if (tensor.dtype == core::DataType::kBytes) {
    RETURN_IF_ERROR(CheckBytesLayout(tensor.data, count, tensor.name));
  }
  return tensor;
}

// The shared-memory parameters of an input or a requested output; nullopt when it names no
// region. Offset is optional (0); the region and the byte size go together.
struct ShmParameters {
  std::string region;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
};

StatusOr<std::optional<ShmParameters>> DecodeShmParameters(const Value* parameters,
                                                           std::string_view tensor) {
  if (parameters == nullptr) return std::nullopt;
  const Value* region = FindMember(*parameters, "shared_memory_region");
  const Value* offset = FindMember(*parameters, "shared_memory_offset");
  const Value* size = FindMember(*parameters, "shared_memory_byte_size");
  if (region == nullptr) {
    if (offset != nullptr || size != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'shared_memory_offset' and 'shared_memory_byte_size' need 'shared_memory_region' "
          "for tensor '",
          std::string(tensor), "'"));
    }
    return std::nullopt;
  }
  if (!region->IsString()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Unable to parse 'shared_memory_region' for "
                     "tensor '",
                     std::string(tensor), "'"));
  }
  ShmParameters out{std::string(region->GetString(), region->GetStringLength())};
  if (offset != nullptr) {
    if (!offset->IsUint64()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Unable to parse 'shared_memory_offset' for tensor '", std::string(tensor), "'"));
    }
    out.offset = offset->GetUint64();
  }
  if (size == nullptr || !size->IsUint64()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'shared_memory_byte_size' must be specified (a non-negative integer) along "
                     "with 'shared_memory_region' for tensor '",
                     std::string(tensor), "'"));
  }
  out.byte_size = size->GetUint64();
  return out;
}

StatusOr<core::SharedMemoryBlock> ResolveShm(const core::SharedMemoryRegistry* registry,
                                             const ShmParameters& shm) {
  if (registry == nullptr) {
    return absl::FailedPreconditionError("shared memory is not enabled on this server");
  }
  return registry->Block(shm.region, shm.offset, shm.byte_size);
}

// An input whose bytes are in a shared-memory region. Fixed-size types are used in place (any
// bytes are valid values); BYTES are copied first, since the client could change the element
// lengths under the server after they were checked.
StatusOr<core::Tensor> DecodeShmInput(const ShmParameters& shm, core::Tensor tensor, int64_t count,
                                      const core::SharedMemoryRegistry* registry) {
  ASSIGN_OR_RETURN(core::SharedMemoryBlock block, ResolveShm(registry, shm));
  if (tensor.dtype == core::DataType::kBytes) {
    core::OwnedTensor copy = core::MakeOwnedTensor(std::move(tensor.name), tensor.dtype,
                                                   std::move(tensor.shape), block.bytes.size());
    if (!block.bytes.empty()) {
      std::memcpy(copy.writable.data(), block.bytes.data(), block.bytes.size());
    }
    RETURN_IF_ERROR(CheckBytesLayout(copy.tensor.data, count, copy.tensor.name));
    return std::move(copy.tensor);
  }
  if (shm.byte_size != static_cast<uint64_t>(count) * core::ElementSize(tensor.dtype)) {
    return Invalid(
        tensor.name,
        absl::StrCat("shared_memory_byte_size ", shm.byte_size, " does not match shape ",
                     core::ShapeToString(tensor.shape), " of ", core::DataTypeName(tensor.dtype)));
  }
  tensor.data = block.bytes;
  tensor.owner = std::move(block.owner);
  return tensor;
}

StatusOr<core::Tensor> DecodeInput(const Value& input, BinaryCursor& cursor,
                                   const DecodeLimits& limits,
                                   const core::SharedMemoryRegistry* registry) {
  if (!input.IsObject()) return absl::InvalidArgumentError("each input must be an object");
  const Value* name = FindMember(input, "name");
  if (name == nullptr || !name->IsString()) {
    return absl::InvalidArgumentError("each input needs a string 'name'");
  }
  core::Tensor tensor;
  tensor.name.assign(name->GetString(), name->GetStringLength());
  const Value* datatype = FindMember(input, "datatype");
  if (datatype == nullptr || !datatype->IsString()) {
    return Invalid(tensor.name, "'datatype' must be a string");
  }
  const auto dtype = core::ParseDataType({datatype->GetString(), datatype->GetStringLength()});
  if (!dtype)
    return Invalid(tensor.name, absl::StrCat("unknown datatype '", datatype->GetString(), "'"));
  tensor.dtype = *dtype;
  ASSIGN_OR_RETURN(tensor.shape, DecodeShape(FindMember(input, "shape"), tensor.name));
  ASSIGN_OR_RETURN(const int64_t count,
                   core::ElementCount(tensor.shape, static_cast<int64_t>(limits.max_input_size)));

  const Value* parameters = FindMember(input, "parameters");
  if (parameters != nullptr && !parameters->IsObject()) {
    return Invalid(tensor.name, "'parameters' must be an object");
  }
  const Value* binary_size =
      parameters == nullptr ? nullptr : FindMember(*parameters, "binary_data_size");
  const Value* data = FindMember(input, "data");
  if (binary_size != nullptr && data != nullptr) {
    return Invalid(tensor.name, "has both 'data' and binary_data_size");
  }
  ASSIGN_OR_RETURN(std::optional<ShmParameters> shm, DecodeShmParameters(parameters, tensor.name));
  if (shm.has_value()) {
    if (binary_size != nullptr || data != nullptr) {
      return Invalid(tensor.name,
                     "must set only one of 'data', 'binary_data_size' in 'parameters', "
                     "'shared_memory_region' in 'parameters'");
    }
    return DecodeShmInput(*shm, std::move(tensor), count, registry);
  }
  if (binary_size != nullptr)
    return DecodeBinaryInput(*binary_size, std::move(tensor), count, cursor);
  if (data == nullptr) return Invalid(tensor.name, "has neither 'data' nor binary_data_size");
  auto decoded = DecodeJsonTensor(*data, tensor.name, tensor.dtype, tensor.shape,
                                  static_cast<int64_t>(limits.max_input_size));
  if (!decoded.ok()) return Invalid(tensor.name, std::string(decoded.status().message()));
  return decoded;
}

Status DecodeInputs(const Value& doc, BinaryCursor& cursor, const DecodeLimits& limits,
                    const core::SharedMemoryRegistry* registry, core::InferenceRequest& request) {
  const Value* inputs = FindMember(doc, "inputs");
  if (inputs == nullptr || !inputs->IsArray()) {
    return absl::InvalidArgumentError("'inputs' must be an array");
  }
  absl::flat_hash_set<std::string> seen;
  for (const Value& input : inputs->GetArray()) {
    ASSIGN_OR_RETURN(core::Tensor tensor, DecodeInput(input, cursor, limits, registry));
    if (!seen.insert(tensor.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("input '", tensor.name, "' appears twice"));
    }
    request.inputs.push_back(std::move(tensor));
  }
  if (!cursor.rest.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(cursor.rest.size(), " bytes of binary data are not claimed by any input"));
  }
  return absl::OkStatus();
}

Status DecodeOutputs(const Value& doc, const core::SharedMemoryRegistry* registry,
                     DecodedInferRequest& decoded) {
  const Value* outputs = FindMember(doc, "outputs");
  if (outputs == nullptr) return absl::OkStatus();
  if (!outputs->IsArray()) return absl::InvalidArgumentError("'outputs' must be an array");
  absl::flat_hash_set<std::string> seen;
  for (const Value& output : outputs->GetArray()) {
    const Value* name = output.IsObject() ? FindMember(output, "name") : nullptr;
    if (name == nullptr || !name->IsString()) {
      return absl::InvalidArgumentError("each requested output needs a string 'name'");
    }
    OutputEncoding::Requested requested{std::string(name->GetString(), name->GetStringLength())};
    if (!seen.insert(requested.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("output '", requested.name, "' is requested twice"));
    }
    const Value* parameters = FindMember(output, "parameters");
    if (parameters != nullptr && parameters->IsObject()) {
      const Value* binary = FindMember(*parameters, "binary_data");
      if (binary != nullptr && !binary->IsBool()) {
        return absl::InvalidArgumentError("'binary_data' must be a boolean");
      }
      requested.binary = binary != nullptr && binary->GetBool();
      const Value* classification = FindMember(*parameters, "classification");
      if (classification != nullptr) {
        if (!classification->IsUint() || classification->GetUint() == 0 ||
            classification->GetUint() > (1u << 20)) {
          return absl::InvalidArgumentError("'classification' must be a positive integer");
        }
        requested.classification = static_cast<int>(classification->GetUint());
      }
      ASSIGN_OR_RETURN(std::optional<ShmParameters> shm,
                       DecodeShmParameters(parameters, requested.name));
      if (shm.has_value()) {
        if (requested.classification > 0) {
          return absl::InvalidArgumentError(
              "Output can't set both 'shared_memory_region' and 'classification'");
        }
        if (requested.binary) {
          return absl::InvalidArgumentError(
              "Output can't set both 'shared_memory_region' and 'binary_data'");
        }
        ASSIGN_OR_RETURN(core::SharedMemoryBlock block, ResolveShm(registry, *shm));
        requested.shared_memory = OutputEncoding::Requested::SharedMemoryOutput{
            shm->region, shm->offset, shm->byte_size, block};
      }
    }
    decoded.request->requested_outputs.push_back(requested.name);
    decoded.encoding.requested.push_back(std::move(requested));
  }
  return absl::OkStatus();
}

// Triton's sequence parameters: a correlation id is an unsigned 64-bit integer or a non-empty
// string; start and end flags are booleans. A malformed value is a client error even for a model
// without sequence batching (as in Triton), never silently accepted.
Status DecodeSequenceParameters(const Value& parameters, core::InferenceRequest& request) {
  if (const Value* id = FindMember(parameters, "sequence_id"); id != nullptr) {
    if (id->IsUint64()) {
      request.sequence_id.number = id->GetUint64();
    } else if (id->IsString() && id->GetStringLength() > 0) {
      request.sequence_id.text.assign(id->GetString(), id->GetStringLength());
    } else {
      return absl::InvalidArgumentError(
          "parameter 'sequence_id' must be an unsigned 64-bit integer or a non-empty string");
    }
  }
  for (auto [flag, field] : {std::pair{"sequence_start", &request.sequence_start},
                             std::pair{"sequence_end", &request.sequence_end}}) {
    const Value* value = FindMember(parameters, flag);
    if (value == nullptr) continue;
    if (!value->IsBool()) {
      return absl::InvalidArgumentError(absl::StrCat("parameter '", flag, "' must be a boolean"));
    }
    *field = value->GetBool();
  }
  return absl::OkStatus();
}

Status DecodeParameters(const Value& doc, DecodedInferRequest& decoded) {
  const Value* parameters = FindMember(doc, "parameters");
  if (parameters == nullptr) return absl::OkStatus();
  if (!parameters->IsObject()) return absl::InvalidArgumentError("'parameters' must be an object");
  auto uint_param = [&](const char* key, uint64_t& field) -> Status {
    const Value* value = FindMember(*parameters, key);
    if (value == nullptr) return absl::OkStatus();
    if (!value->IsUint64()) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter '", key, "' must be an unsigned integer"));
    }
    field = value->GetUint64();
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(uint_param("priority", decoded.request->priority));
  RETURN_IF_ERROR(uint_param("timeout", decoded.request->timeout_us));
  RETURN_IF_ERROR(DecodeSequenceParameters(*parameters, *decoded.request));
  const Value* binary = FindMember(*parameters, "binary_data_output");
  if (binary != nullptr) {
    if (!binary->IsBool())
      return absl::InvalidArgumentError("'binary_data_output' must be a boolean");
    decoded.encoding.binary_all = binary->GetBool();
  }
  return absl::OkStatus();
}

}  // namespace

StatusOr<DecodedInferRequest> DecodeInferRequest(std::string_view body,
                                                 std::shared_ptr<const void> owner,
                                                 std::optional<std::string_view> header_length,
                                                 std::string model_name, int64_t model_version,
                                                 const DecodeLimits& limits,
                                                 const core::SharedMemoryRegistry* registry) {
  ASSIGN_OR_RETURN(const size_t json_size, ParseHeaderLength(header_length, body.size()));
  ScopedJsonDocument<> scoped;  // the document dies with this call; the request copies out
  rapidjson::Document& doc = scoped.doc();
  RETURN_IF_ERROR(ParseJsonInto(body.substr(0, json_size), limits.max_json_depth, doc));
  if (!doc.IsObject()) return absl::InvalidArgumentError("the request must be a JSON object");

  DecodedInferRequest decoded;
  decoded.request = std::make_unique<core::InferenceRequest>();
  core::InferenceRequest& request = *decoded.request;
  request.model_name = std::move(model_name);
  request.model_version = model_version;
  if (const Value* id = FindMember(doc, "id"); id != nullptr) {
    if (!id->IsString()) return absl::InvalidArgumentError("'id' must be a string");
    request.id.assign(id->GetString(), id->GetStringLength());
  }
  RETURN_IF_ERROR(DecodeParameters(doc, decoded));
  const auto* binary = reinterpret_cast<const std::byte*>(body.data()) + json_size;
  BinaryCursor cursor{std::span<const std::byte>(binary, body.size() - json_size)};
  RETURN_IF_ERROR(DecodeInputs(doc, cursor, limits, registry, request));
  RETURN_IF_ERROR(DecodeOutputs(doc, registry, decoded));
  request.body = std::move(owner);
  return decoded;
}

}  // namespace inferd::frontend::http
