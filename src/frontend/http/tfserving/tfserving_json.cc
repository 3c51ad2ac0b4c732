#include "frontend/http/tfserving/tfserving_json.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "absl/strings/str_cat.h"
#include "frontend/http/json_tensor.h"
#include "rapidjson/stringbuffer.h"

namespace inferd::frontend::http {
namespace {

struct VersionStatus {
  int64_t version = 0;
  const char* state = "";
  std::string error_message;
};

// inferd's repository states -> TF Serving's ModelVersionStatus.State.
const char* TfsState(std::string_view state) {
  if (state == "READY") return "AVAILABLE";
  if (state == "LOADING") return "LOADING";
  if (state == "UNLOADING") return "UNLOADING";
  return "END";  // UNAVAILABLE: unloaded, or failed to load (then with a reason)
}

void WriteString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteSpecs(JsonWriter& writer, const std::vector<core::TensorSpec>& specs) {
  writer.StartObject();
  for (const auto& spec : specs) {
    WriteString(writer, spec.name);
    writer.StartObject();
    writer.Key("dtype");
    writer.String(TfDataTypeName(spec.dtype));
    writer.Key("tensor_shape");
    writer.StartObject();
    writer.Key("dim");
    writer.StartArray();
    for (int64_t dim : spec.dims) {
      writer.StartObject();
      writer.Key("size");
      WriteString(writer, std::to_string(dim));  // int64 in proto3 JSON is a string
      writer.Key("name");
      writer.String("");
      writer.EndObject();
    }
    writer.EndArray();
    writer.Key("unknown_rank");
    writer.Bool(false);
    writer.EndObject();
    writer.Key("name");
    WriteString(writer, spec.name);
    writer.EndObject();
  }
  writer.EndObject();
}

}  // namespace

StatusOr<std::string> TfsModelStatusJson(const core::InferenceService& service,
                                         std::string_view model, int64_t version) {
  std::vector<VersionStatus> versions;
  for (const auto& entry : service.RepositoryIndex(/*ready_only=*/false)) {
    int64_t number = 0;
    const auto parsed =
        std::from_chars(entry.version.data(), entry.version.data() + entry.version.size(), number);
    if (entry.name != model || parsed.ec != std::errc() || number <= 0) continue;
    if (version != 0 && number != version) continue;
    const bool failed = entry.state == "UNAVAILABLE" && !entry.reason.empty();
    versions.push_back({number, TfsState(entry.state), failed ? entry.reason : ""});
  }
  if (versions.empty()) {
    return absl::NotFoundError(
        version == 0
            ? absl::StrCat("Could not find any versions of model ", std::string(model))
            : absl::StrCat("Could not find version ", version, " of model ", std::string(model)));
  }
  std::sort(versions.begin(), versions.end(),
            [](const VersionStatus& a, const VersionStatus& b) { return a.version > b.version; });
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("model_version_status");
  writer.StartArray();
  for (const auto& v : versions) {
    writer.StartObject();
    writer.Key("version");
    WriteString(writer, std::to_string(v.version));
    writer.Key("state");
    writer.String(v.state);
    writer.Key("status");
    writer.StartObject();
    writer.Key("error_code");
    writer.String(v.error_message.empty() ? "OK" : "UNKNOWN");
    writer.Key("error_message");
    WriteString(writer, v.error_message);
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

StatusOr<std::string> TfsModelMetadataJson(const core::InferenceService& service,
                                           std::string_view model, int64_t version) {
  ASSIGN_OR_RETURN(const core::ModelMetadata metadata, service.GetModelMetadata(model, version));
  const std::string resolved = version != 0                ? std::to_string(version)
                               : metadata.versions.empty() ? std::string()
                                                           : metadata.versions.back();
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("model_spec");
  writer.StartObject();
  writer.Key("name");
  WriteString(writer, metadata.name);
  writer.Key("signature_name");
  writer.String("");
  writer.Key("version");
  WriteString(writer, resolved);
  writer.EndObject();
  writer.Key("metadata");
  writer.StartObject();
  writer.Key("signature_def");
  writer.StartObject();
  writer.Key("signature_def");
  writer.StartObject();
  writer.Key("serving_default");
  writer.StartObject();
  writer.Key("inputs");
  WriteSpecs(writer, metadata.inputs);
  writer.Key("outputs");
  WriteSpecs(writer, metadata.outputs);
  writer.Key("method_name");
  writer.String("tensorflow/serving/predict");
  writer.EndObject();
  writer.EndObject();
  writer.Key("@type");
  writer.String("type.googleapis.com/tensorflow.serving.SignatureDefMap");
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

const char* TfDataTypeName(core::DataType type) {
  using core::DataType;
  switch (type) {
    case DataType::kBool:
      return "DT_BOOL";
    case DataType::kUint8:
      return "DT_UINT8";
    case DataType::kUint16:
      return "DT_UINT16";
    case DataType::kUint32:
      return "DT_UINT32";
    case DataType::kUint64:
      return "DT_UINT64";
    case DataType::kInt8:
      return "DT_INT8";
    case DataType::kInt16:
      return "DT_INT16";
    case DataType::kInt32:
      return "DT_INT32";
    case DataType::kInt64:
      return "DT_INT64";
    case DataType::kFp16:
      return "DT_HALF";
    case DataType::kBf16:
      return "DT_BFLOAT16";
    case DataType::kFp32:
      return "DT_FLOAT";
    case DataType::kFp64:
      return "DT_DOUBLE";
    case DataType::kBytes:
      return "DT_STRING";
    default:
      return "DT_INVALID";
  }
}

}  // namespace inferd::frontend::http
