#include "frontend/http/infer_response_codec.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "frontend/http/json_tensor.h"

namespace inferd::frontend::http {
namespace {

void WriteString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Collects the outputs to send: the requested ones in order, or all of them.
StatusOr<std::vector<const core::Tensor*>> SelectOutputs(const core::InferenceResponse& response,
                                                         const OutputEncoding& encoding) {
  std::vector<const core::Tensor*> selected;
  if (encoding.requested.empty()) {
    for (const auto& output : response.outputs) selected.push_back(&output);
    return selected;
  }
  for (const auto& wanted : encoding.requested) {
    const core::Tensor* found = nullptr;
    for (const auto& output : response.outputs) {
      if (output.name == wanted.name) found = &output;
    }
    if (found == nullptr) {
      return absl::InternalError(absl::StrCat("the model produced no output '", wanted.name, "'"));
    }
    selected.push_back(found);
  }
  return selected;
}

// Triton echoes nothing for such outputs; the parameters say where the data went.
void WriteShmParameters(const OutputEncoding::Requested::SharedMemoryOutput& shm,
                        JsonWriter& writer) {
  writer.Key("parameters");
  writer.StartObject();
  writer.Key("shared_memory_region");
  WriteString(writer, shm.region);
  writer.Key("shared_memory_byte_size");
  writer.Uint64(shm.byte_size);
  if (shm.offset != 0) {
    writer.Key("shared_memory_offset");
    writer.Uint64(shm.offset);
  }
  writer.EndObject();
}

Status WriteOutput(const core::Tensor& output, bool binary,
                   const OutputEncoding::Requested::SharedMemoryOutput* shm, JsonWriter& writer) {
  writer.StartObject();
  writer.Key("name");
  WriteString(writer, output.name);
  writer.Key("datatype");
  WriteString(writer, core::DataTypeName(output.dtype));
  writer.Key("shape");
  writer.StartArray();
  for (int64_t dim : output.shape) writer.Int64(dim);
  writer.EndArray();
  if (shm != nullptr) {
    RETURN_IF_ERROR(core::WriteOutputToSharedMemory(output.name, output.data, shm->block));
    WriteShmParameters(*shm, writer);
  } else if (binary) {
    writer.Key("parameters");
    writer.StartObject();
    writer.Key("binary_data_size");
    writer.Uint64(output.data.size());
    writer.EndObject();
  } else {
    writer.Key("data");
    RETURN_IF_ERROR(WriteJsonTensorData(output, writer));
  }
  writer.EndObject();
  return absl::OkStatus();
}

}  // namespace

bool OutputEncoding::IsBinary(std::string_view output_name) const {
  for (const auto& wanted : requested) {
    if (wanted.name == output_name)
      return wanted.shared_memory ? false : binary_all || wanted.binary;
  }
  return binary_all;
}

const OutputEncoding::Requested::SharedMemoryOutput* OutputEncoding::SharedMemory(
    std::string_view output_name) const {
  for (const auto& wanted : requested) {
    if (wanted.name == output_name && wanted.shared_memory) return &*wanted.shared_memory;
  }
  return nullptr;
}

StatusOr<EncodedResponse> EncodeInferResponse(const core::InferenceResponse& response,
                                              const OutputEncoding& encoding) {
  ASSIGN_OR_RETURN(auto outputs, SelectOutputs(response, encoding));
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("model_name");
  WriteString(writer, response.model_name);
  writer.Key("model_version");
  WriteString(writer, absl::StrCat(response.model_version));
  if (!response.id.empty()) {
    writer.Key("id");
    WriteString(writer, response.id);
  }
  writer.Key("outputs");
  writer.StartArray();
  size_t binary_bytes = 0;
  for (const core::Tensor* output : outputs) {
    const bool binary = encoding.IsBinary(output->name);
    if (binary) binary_bytes += output->data.size();
    RETURN_IF_ERROR(WriteOutput(*output, binary, encoding.SharedMemory(output->name), writer));
  }
  writer.EndArray();
  writer.EndObject();

  EncodedResponse encoded;
  encoded.body.reserve(buffer.GetSize() + binary_bytes);
  encoded.body.append(buffer.GetString(), buffer.GetSize());
  bool any_binary = false;
  for (const core::Tensor* output : outputs) {
    if (!encoding.IsBinary(output->name)) continue;
    any_binary = true;
    encoded.body.append(reinterpret_cast<const char*>(output->data.data()), output->data.size());
  }
  if (any_binary) encoded.header_length = buffer.GetSize();
  return encoded;
}

}  // namespace inferd::frontend::http
