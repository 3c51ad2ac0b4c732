#include "frontend/http/kserve/metadata_json.h"

#include <string_view>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(Writer& writer, const char* key, std::string_view value) {
  writer.Key(key);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void StringArray(Writer& writer, const char* key, const std::vector<std::string>& values) {
  writer.Key(key);
  writer.StartArray();
  for (const auto& value : values) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndArray();
}

void TensorSpecs(Writer& writer, const char* key, const std::vector<core::TensorSpec>& specs) {
  writer.Key(key);
  writer.StartArray();
  for (const auto& spec : specs) {
    writer.StartObject();
    Field(writer, "name", spec.name);
    Field(writer, "datatype", core::DataTypeName(spec.dtype));
    writer.Key("shape");
    writer.StartArray();
    for (int64_t dim : spec.dims) writer.Int64(dim);
    writer.EndArray();
    writer.EndObject();
  }
  writer.EndArray();
}

std::string Text(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string ServerMetadataJson(const core::ServerMetadata& metadata) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  Field(writer, "name", metadata.name);
  Field(writer, "version", metadata.version);
  StringArray(writer, "extensions", metadata.extensions);
  writer.EndObject();
  return Text(buffer);
}

std::string ModelMetadataJson(const core::ModelMetadata& metadata) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  Field(writer, "name", metadata.name);
  StringArray(writer, "versions", metadata.versions);
  Field(writer, "platform", metadata.platform);
  TensorSpecs(writer, "inputs", metadata.inputs);
  TensorSpecs(writer, "outputs", metadata.outputs);
  if (!metadata.parameters.empty()) {
    writer.Key("parameters");
    writer.StartObject();
    for (const auto& [key, value] : metadata.parameters) Field(writer, key.c_str(), value);
    writer.EndObject();
  }
  writer.EndObject();
  return Text(buffer);
}

std::string RepositoryIndexJson(const std::vector<core::RepositoryEntry>& entries) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartArray();
  for (const auto& entry : entries) {
    writer.StartObject();
    Field(writer, "name", entry.name);
    if (!entry.version.empty()) Field(writer, "version", entry.version);
    if (!entry.state.empty()) Field(writer, "state", entry.state);
    if (!entry.reason.empty()) Field(writer, "reason", entry.reason);
    if (!entry.model_sha256.empty()) Field(writer, "model_sha256", entry.model_sha256);
    if (!entry.config_sha256.empty()) Field(writer, "config_sha256", entry.config_sha256);
    writer.EndObject();
  }
  writer.EndArray();
  return Text(buffer);
}

}  // namespace inferd::frontend::http
