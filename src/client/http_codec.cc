#include "client/http_codec.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "client/json_tensor.h"

namespace inferd::client {
namespace {

using rapidjson::Value;

void WriteString(JsonWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

Status WriteInput(const InferInput& input, bool binary, JsonWriter& w) {
  RETURN_IF_ERROR(input.Validate());
  w.StartObject();
  w.Key("name");
  WriteString(w, input.name());
  w.Key("shape");
  w.StartArray();
  for (int64_t dim : input.shape()) w.Int64(dim);
  w.EndArray();
  w.Key("datatype");
  WriteString(w, input.datatype());
  if (binary) {
    w.Key("parameters");
    w.StartObject();
    w.Key("binary_data_size");
    w.Uint64(input.raw().size());
    w.EndObject();
  } else {
    w.Key("data");
    RETURN_IF_ERROR(WriteJsonData(input.datatype(), input.raw(), w));
  }
  w.EndObject();
  return absl::OkStatus();
}

void WriteParameters(const InferOptions& options, bool binary, bool outputs_listed, JsonWriter& w) {
  const bool binary_all = binary && !outputs_listed;
  if (options.priority == 0 && options.timeout_us == 0 && !binary_all) return;
  w.Key("parameters");
  w.StartObject();
  if (options.priority != 0) {
    w.Key("priority");
    w.Uint64(options.priority);
  }
  if (options.timeout_us != 0) {
    w.Key("timeout");
    w.Uint64(options.timeout_us);
  }
  if (binary_all) {
    w.Key("binary_data_output");
    w.Bool(true);
  }
  w.EndObject();
}

StatusOr<rapidjson::Document> ParseJson(std::string_view text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return absl::InternalError(
        absl::StrCat("the server sent malformed JSON: ", std::string(text.substr(0, 200))));
  }
  return doc;
}

std::string GetString(const Value& object, const char* key) {
  if (!object.IsObject()) return "";
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return "";
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

uint64_t GetUint(const Value& object, const char* key) {
  if (!object.IsObject()) return 0;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return 0;
  if (it->value.IsUint64()) return it->value.GetUint64();
  if (it->value.IsString()) return std::strtoull(it->value.GetString(), nullptr, 10);
  return 0;
}

const Value* Member(const Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::vector<int64_t> GetShape(const Value& object) {
  std::vector<int64_t> shape;
  const Value* dims = Member(object, "shape");
  if (dims == nullptr || !dims->IsArray()) return shape;
  for (const auto& d : dims->GetArray()) shape.push_back(d.IsInt64() ? d.GetInt64() : -1);
  return shape;
}

StatusOr<InferResult::Output> DecodeOutput(const Value& value, std::string_view& binary) {
  InferResult::Output output;
  output.name = GetString(value, "name");
  output.datatype = GetString(value, "datatype");
  output.shape = GetShape(value);
  const Value* parameters = Member(value, "parameters");
  const Value* size = parameters ? Member(*parameters, "binary_data_size") : nullptr;
  if (size != nullptr) {
    if (!size->IsUint64() || size->GetUint64() > binary.size()) {
      return absl::InternalError(
          absl::StrCat("output '", output.name, "' has a bad binary_data_size"));
    }
    output.raw.assign(binary.substr(0, size->GetUint64()));
    binary.remove_prefix(size->GetUint64());
    return output;
  }
  const Value* data = Member(value, "data");
  if (data == nullptr) {
    return absl::InternalError(absl::StrCat("output '", output.name, "' has no data"));
  }
  RETURN_IF_ERROR(AppendJsonData(output.datatype, *data, output.raw).status());
  return output;
}

Duration GetDuration(const Value& stats, const char* key) {
  const Value* d = Member(stats, key);
  if (d == nullptr) return {};
  return {GetUint(*d, "count"), GetUint(*d, "ns")};
}

std::vector<TensorMetadata> GetTensors(const Value& doc, const char* key) {
  std::vector<TensorMetadata> tensors;
  const Value* list = Member(doc, key);
  if (list == nullptr || !list->IsArray()) return tensors;
  for (const auto& t : list->GetArray()) {
    tensors.push_back({GetString(t, "name"), GetString(t, "datatype"), GetShape(t)});
  }
  return tensors;
}

}  // namespace

std::string ModelTarget(const std::string& model, const std::string& version,
                        std::string_view action) {
  std::string target = absl::StrCat("/v2/models/", PercentEncode(model));
  if (!version.empty()) absl::StrAppend(&target, "/versions/", PercentEncode(version));
  if (!action.empty()) absl::StrAppend(&target, "/", std::string(action));
  return target;
}

std::string PredictTarget(const std::string& model, const std::string& version) {
  std::string target = absl::StrCat("/predict/", PercentEncode(model));
  if (!version.empty()) absl::StrAppend(&target, "/versions/", PercentEncode(version));
  return target;
}

std::string RepositoryTarget(const std::string& model, std::string_view action) {
  return absl::StrCat("/v2/repository/models/", PercentEncode(model), "/", std::string(action));
}

StatusOr<HttpInferBody> EncodeInferRequest(const InferOptions& options,
                                           const std::vector<InferInput>& inputs,
                                           const std::vector<InferRequestedOutput>& outputs,
                                           bool binary) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  if (!options.request_id.empty()) {
    w.Key("id");
    WriteString(w, options.request_id);
  }
  WriteParameters(options, binary, !outputs.empty(), w);
  w.Key("inputs");
  w.StartArray();
  for (const auto& input : inputs) RETURN_IF_ERROR(WriteInput(input, binary, w));
  w.EndArray();
  if (!outputs.empty()) {
    w.Key("outputs");
    w.StartArray();
    for (const auto& output : outputs) {
      w.StartObject();
      w.Key("name");
      WriteString(w, output.name());
      w.Key("parameters");
      w.StartObject();
      w.Key("binary_data");
      w.Bool(binary && output.binary());
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  HttpInferBody encoded;
  encoded.body.assign(buffer.GetString(), buffer.GetSize());
  if (!binary) return encoded;
  encoded.json_size = encoded.body.size();
  size_t total = encoded.body.size();
  for (const auto& input : inputs) total += input.raw().size();
  encoded.body.reserve(total);
  for (const auto& input : inputs) encoded.body += input.raw();
  return encoded;
}

StatusOr<InferResult> DecodeInferResponse(std::string_view body, std::string_view header_length) {
  std::string_view json = body;
  std::string_view binary;
  if (!header_length.empty()) {
    size_t size = 0;
    const auto parsed =
        std::from_chars(header_length.data(), header_length.data() + header_length.size(), size);
    if (parsed.ec != std::errc() || size > body.size()) {
      return absl::InternalError("bad Inference-Header-Content-Length in the response");
    }
    json = body.substr(0, size);
    binary = body.substr(size);
  }
  ASSIGN_OR_RETURN(auto doc, ParseJson(json));
  std::vector<InferResult::Output> outputs;
  if (const Value* list = Member(doc, "outputs"); list != nullptr && list->IsArray()) {
    for (const auto& value : list->GetArray()) {
      ASSIGN_OR_RETURN(auto output, DecodeOutput(value, binary));
      outputs.push_back(std::move(output));
    }
  }
  return InferResult(GetString(doc, "model_name"), GetString(doc, "model_version"),
                     GetString(doc, "id"), std::move(outputs));
}

Status StatusFromHttp(int status, std::string_view body) {
  if (status >= 200 && status < 300) return absl::OkStatus();
  std::string message(body.substr(0, 500));
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    if (std::string error = GetString(doc, "error"); !error.empty()) message = error;
  }
  message = absl::StrCat("HTTP ", status, ": ", message);
  switch (status) {
    case 400:
      if (IsUnknownModelMessage(message)) return absl::NotFoundError(message);
      return absl::InvalidArgumentError(message);
    case 404:
      return absl::NotFoundError(message);
    case 408:
    case 504:
      return absl::DeadlineExceededError(message);
    case 409:
      return absl::FailedPreconditionError(message);
    case 413:
    case 429:
      return absl::ResourceExhaustedError(message);
    case 501:
      return absl::UnimplementedError(message);
    case 503:
      return absl::UnavailableError(message);
    default:
      return status >= 500 ? absl::InternalError(message) : absl::UnknownError(message);
  }
}

int ParseRetryAfter(const std::map<std::string, std::string>& headers) {
  auto it = headers.find("retry-after");
  if (it == headers.end()) return -1;
  int seconds = -1;
  const auto& text = it->second;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), seconds);
  return parsed.ec == std::errc() && seconds >= 0 ? seconds : -1;
}

StatusOr<ServerMetadata> ParseServerMetadata(std::string_view body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  ServerMetadata metadata{GetString(doc, "name"), GetString(doc, "version"), {}};
  if (const Value* list = Member(doc, "extensions"); list != nullptr && list->IsArray()) {
    for (const auto& e : list->GetArray()) {
      if (e.IsString()) metadata.extensions.emplace_back(e.GetString(), e.GetStringLength());
    }
  }
  return metadata;
}

StatusOr<ModelMetadata> ParseModelMetadata(std::string_view body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  ModelMetadata metadata;
  metadata.name = GetString(doc, "name");
  metadata.platform = GetString(doc, "platform");
  if (const Value* list = Member(doc, "versions"); list != nullptr && list->IsArray()) {
    for (const auto& v : list->GetArray()) {
      if (v.IsString()) metadata.versions.emplace_back(v.GetString(), v.GetStringLength());
    }
  }
  metadata.inputs = GetTensors(doc, "inputs");
  metadata.outputs = GetTensors(doc, "outputs");
  return metadata;
}

StatusOr<ModelConfig> ParseModelConfig(std::string body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  ModelConfig config;
  config.max_batch_size = static_cast<int64_t>(GetUint(doc, "max_batch_size"));
  config.json = std::move(body);
  return config;
}

StatusOr<std::vector<RepositoryModel>> ParseRepositoryIndex(std::string_view body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  if (!doc.IsArray()) return absl::InternalError("the repository index is not a JSON array");
  std::vector<RepositoryModel> models;
  for (const auto& m : doc.GetArray()) {
    models.push_back({GetString(m, "name"), GetString(m, "version"), GetString(m, "state"),
                      GetString(m, "reason")});
  }
  return models;
}

StatusOr<std::vector<ModelStatistics>> ParseModelStatistics(std::string_view body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  std::vector<ModelStatistics> all;
  const Value* list = Member(doc, "model_stats");
  if (list == nullptr || !list->IsArray()) return all;
  for (const auto& m : list->GetArray()) {
    ModelStatistics s;
    s.name = GetString(m, "name");
    s.version = GetString(m, "version");
    s.last_inference_ms = GetUint(m, "last_inference");
    s.inference_count = GetUint(m, "inference_count");
    s.execution_count = GetUint(m, "execution_count");
    if (const Value* is = Member(m, "inference_stats"); is != nullptr) {
      s.success = GetDuration(*is, "success");
      s.fail = GetDuration(*is, "fail");
      s.queue = GetDuration(*is, "queue");
      s.compute_input = GetDuration(*is, "compute_input");
      s.compute_infer = GetDuration(*is, "compute_infer");
      s.compute_output = GetDuration(*is, "compute_output");
    }
    all.push_back(std::move(s));
  }
  return all;
}

std::string LoadRequestBody(const std::string& config_json) {
  if (config_json.empty()) return "{}";
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("parameters");
  w.StartObject();
  w.Key("config");
  WriteString(w, config_json);
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

StatusOr<PredictResult> ParsePredictResponse(std::string_view body) {
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  const Value* list = Member(doc, "predictions");
  if (list == nullptr || !list->IsArray()) {
    return absl::InternalError("predict answer without a \"predictions\" array");
  }
  PredictResult result{GetString(doc, "model"), GetString(doc, "version"), {}};
  for (const auto& p : list->GetArray()) {
    const Value* index = p.IsObject() ? Member(p, "index") : nullptr;
    const Value* score = p.IsObject() ? Member(p, "score") : nullptr;
    if (index == nullptr || !index->IsInt64() || score == nullptr || !score->IsNumber()) {
      return absl::InternalError("predict answer: a prediction without index and score");
    }
    result.predictions.push_back({GetString(p, "label"), index->GetInt64(), score->GetDouble()});
  }
  return result;
}

}  // namespace inferd::client
