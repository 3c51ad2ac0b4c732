#include "frontend/http/tfserving_codec.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "frontend/http/http_status.h"
#include "frontend/http/json_parse.h"
#include "frontend/http/json_value_tensor.h"
#include "rapidjson/stringbuffer.h"

namespace inferd::frontend::http {
namespace {

using rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

bool IsNamedObject(const Value& value) { return value.IsObject() && !IsB64Object(value); }

const core::TensorSpec* FindSpec(const std::vector<core::TensorSpec>& specs,
                                 std::string_view name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

Status UnknownInput(std::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat("input '", std::string(name), "' is not an input of the model"));
}

Status NeedsSingleInput(std::string_view what, size_t input_count) {
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(what),
                   " holds unnamed values, which need a model with exactly one "
                   "input; this model has ",
                   input_count, " (name them in an object)"));
}

// Row format with an object per instance: gathers each input's values across the instances
// (moved out of the document) and stacks them along a new first dimension.
StatusOr<std::vector<core::Tensor>> DecodeNamedRows(Value& instances, Allocator& allocator,
                                                    const std::vector<core::TensorSpec>& inputs,
                                                    int64_t max_elements) {
  for (rapidjson::SizeType i = 0; i < instances.Size(); ++i) {
    if (!IsNamedObject(instances[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'instances' mixes objects and values: element ", i, " is not an object of inputs"));
    }
    for (const auto& member : instances[i].GetObject()) {
      const std::string_view key(member.name.GetString(), member.name.GetStringLength());
      if (FindSpec(inputs, key) == nullptr) return UnknownInput(key);
    }
  }
  std::vector<core::Tensor> tensors;
  for (const auto& spec : inputs) {
    Value stacked(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < instances.Size(); ++i) {
      auto member = instances[i].FindMember(spec.name.c_str());
      if (member == instances[i].MemberEnd()) {
        return absl::InvalidArgumentError(
            absl::StrCat("element ", i, " of 'instances' has no input '", spec.name, "'"));
      }
      stacked.PushBack(member->value, allocator);  // moves the value
    }
    ASSIGN_OR_RETURN(core::Tensor tensor, DecodeJsonValueTensor(stacked, allocator, spec.name,
                                                                spec.dtype, max_elements));
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

StatusOr<TfsPredictRequest> DecodeRows(Value& instances, Allocator& allocator,
                                       const std::vector<core::TensorSpec>& inputs,
                                       int64_t max_elements) {
  if (!instances.IsArray() || instances.Empty()) {
    return absl::InvalidArgumentError("'instances' must be a non-empty list");
  }
  TfsPredictRequest request;
  request.format = TfsFormat::kRow;
  request.batch_size = instances.Size();
  if (IsNamedObject(instances[0])) {
    ASSIGN_OR_RETURN(request.inputs, DecodeNamedRows(instances, allocator, inputs, max_elements));
    return request;
  }
  if (inputs.size() != 1) return NeedsSingleInput("'instances'", inputs.size());
  ASSIGN_OR_RETURN(core::Tensor tensor, DecodeJsonValueTensor(instances, allocator, inputs[0].name,
                                                              inputs[0].dtype, max_elements));
  request.inputs.push_back(std::move(tensor));
  return request;
}

Status WriteRowPredictions(const std::vector<core::Tensor>& outputs, int64_t batch_size,
                           JsonWriter& writer) {
  std::vector<JsonValueWriter> writers;
  for (const auto& output : outputs) {
    if (output.shape.empty() || output.shape[0] != batch_size) {
      return absl::InvalidArgumentError(
          absl::StrCat("Tensor name: ", output.name, " has inconsistent batch size: ",
                       output.shape.empty() ? 0 : output.shape[0], " expecting: ", batch_size));
    }
    ASSIGN_OR_RETURN(JsonValueWriter value_writer, JsonValueWriter::Create(output));
    writers.push_back(std::move(value_writer));
  }
  writer.StartArray();
  for (int64_t row = 0; row < batch_size; ++row) {
    if (outputs.size() == 1) {
      writers[0].WriteRow(row, writer);
      continue;
    }
    writer.StartObject();
    for (size_t i = 0; i < outputs.size(); ++i) {
      writer.Key(outputs[i].name.data(), static_cast<rapidjson::SizeType>(outputs[i].name.size()));
      writers[i].WriteRow(row, writer);
    }
    writer.EndObject();
  }
  writer.EndArray();
  return absl::OkStatus();
}

}  // namespace

StatusOr<std::vector<core::Tensor>> DecodeColumnarValue(
    rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator,
    const std::vector<core::TensorSpec>& inputs, int64_t max_elements) {
  std::vector<core::Tensor> tensors;
  if (!IsNamedObject(value)) {
    if (inputs.size() != 1) return NeedsSingleInput("the request", inputs.size());
    ASSIGN_OR_RETURN(core::Tensor tensor, DecodeJsonValueTensor(value, allocator, inputs[0].name,
                                                                inputs[0].dtype, max_elements));
    tensors.push_back(std::move(tensor));
    return tensors;
  }
  for (auto& member : value.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    const core::TensorSpec* spec = FindSpec(inputs, key);
    if (spec == nullptr) return UnknownInput(key);
    ASSIGN_OR_RETURN(core::Tensor tensor, DecodeJsonValueTensor(member.value, allocator, spec->name,
                                                                spec->dtype, max_elements));
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

Status WriteColumnarValue(const std::vector<core::Tensor>& outputs, JsonWriter& writer) {
  if (outputs.size() == 1) {
    ASSIGN_OR_RETURN(JsonValueWriter value_writer, JsonValueWriter::Create(outputs[0]));
    value_writer.WriteAll(writer);
    return absl::OkStatus();
  }
  writer.StartObject();
  for (const auto& output : outputs) {
    ASSIGN_OR_RETURN(JsonValueWriter value_writer, JsonValueWriter::Create(output));
    writer.Key(output.name.data(), static_cast<rapidjson::SizeType>(output.name.size()));
    value_writer.WriteAll(writer);
  }
  writer.EndObject();
  return absl::OkStatus();
}

StatusOr<TfsPredictRequest> DecodeTfsPredictRequest(std::string_view body,
                                                    const std::vector<core::TensorSpec>& inputs,
                                                    const DecodeLimits& limits) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(body, limits.max_json_depth));
  if (!doc.IsObject()) return absl::InvalidArgumentError("the request body must be a JSON object");
  if (auto it = doc.FindMember("signature_name"); it != doc.MemberEnd() && !it->value.IsString()) {
    return absl::InvalidArgumentError("'signature_name' must be a string");
  }
  const auto instances = doc.FindMember("instances");
  const auto columns = doc.FindMember("inputs");
  const bool has_instances = instances != doc.MemberEnd();
  const bool has_columns = columns != doc.MemberEnd();
  if (has_instances == has_columns) {
    return absl::InvalidArgumentError(
        "the request must have exactly one of 'instances' (row format) or 'inputs' (columnar)");
  }
  const auto max_elements = static_cast<int64_t>(limits.max_input_size);
  if (has_instances) return DecodeRows(instances->value, doc.GetAllocator(), inputs, max_elements);
  TfsPredictRequest request;
  request.format = TfsFormat::kColumnar;
  ASSIGN_OR_RETURN(request.inputs,
                   DecodeColumnarValue(columns->value, doc.GetAllocator(), inputs, max_elements));
  return request;
}

StatusOr<std::string> EncodeTfsPredictResponse(const core::InferenceResponse& response,
                                               TfsFormat format, int64_t batch_size) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  if (format == TfsFormat::kRow) {
    writer.Key("predictions");
    RETURN_IF_ERROR(WriteRowPredictions(response.outputs, batch_size, writer));
  } else {
    writer.Key("outputs");
    RETURN_IF_ERROR(WriteColumnarValue(response.outputs, writer));
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

boost::beast::http::status TfsHttpStatus(const Status& status) {
  namespace bh = boost::beast::http;
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return bh::status::ok;
    case absl::StatusCode::kCancelled:
      return static_cast<bh::status>(499);  // client closed request
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return bh::status::bad_request;
    case absl::StatusCode::kDeadlineExceeded:
      return bh::status::gateway_timeout;
    case absl::StatusCode::kNotFound:
      return bh::status::not_found;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return bh::status::conflict;
    case absl::StatusCode::kPermissionDenied:
      return bh::status::forbidden;
    case absl::StatusCode::kResourceExhausted:
      return bh::status::too_many_requests;
    case absl::StatusCode::kUnimplemented:
      return bh::status::not_implemented;
    case absl::StatusCode::kUnavailable:
      return bh::status::service_unavailable;
    case absl::StatusCode::kUnauthenticated:
      return bh::status::unauthorized;
    default:
      return bh::status::internal_server_error;
  }
}

HttpResponse TfsErrorResponse(const Status& status) {
  return JsonResponse(TfsHttpStatus(status), ErrorBody(std::string_view(status.message().data(),
                                                                        status.message().size())));
}

}  // namespace inferd::frontend::http
