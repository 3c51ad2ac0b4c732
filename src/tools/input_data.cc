#include "tools/input_data.h"

#include <rapidjson/document.h>

#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/json_tensor.h"

namespace inferd::tools {
namespace {

template <typename T>
void AppendValue(T value, std::string& raw) {
  raw.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

std::string RandomRaw(const InputSpec& spec, int64_t count, std::mt19937_64& rng) {
  std::string raw;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> small(0, 99);
  const std::string& dt = spec.datatype;
  for (int64_t i = 0; i < count; ++i) {
    if (dt == "FP32") {
      AppendValue(static_cast<float>(unit(rng)), raw);
    } else if (dt == "FP64") {
      AppendValue(unit(rng), raw);
    } else if (dt == "FP16" || dt == "BF16") {
      AppendValue<uint16_t>(dt == "FP16" ? 0x3800 : 0x3f00, raw);  // 0.5
    } else if (dt == "BOOL") {
      raw.push_back(static_cast<char>(small(rng) & 1));
    } else if (dt == "BYTES") {
      client::AppendBytesElement(absl::StrCat("sample-", small(rng)), raw);
    } else {
      // Every integer type: small non-negative values, little-endian in the element's width.
      const auto value = static_cast<uint64_t>(small(rng));
      raw.append(reinterpret_cast<const char*>(&value), client::ElementSize(dt));
    }
  }
  return raw;
}

StatusOr<client::InferInput> InputFromJson(const InputSpec& spec, const rapidjson::Value& value) {
  client::InferInput input(spec.name, spec.shape, spec.datatype);
  const rapidjson::Value* content = &value;
  if (value.IsObject()) {
    auto c = value.FindMember("content");
    if (c == value.MemberEnd()) {
      return absl::InvalidArgumentError(absl::StrCat("input '", spec.name, "' has no content"));
    }
    content = &c->value;
    if (auto s = value.FindMember("shape"); s != value.MemberEnd() && s->value.IsArray()) {
      std::vector<int64_t> shape;
      for (const auto& d : s->value.GetArray()) shape.push_back(d.GetInt64());
      input.SetShape(std::move(shape));
    }
  }
  std::string raw;
  RETURN_IF_ERROR(client::AppendJsonData(spec.datatype, *content, raw).status());
  input.SetRaw(std::move(raw));
  RETURN_IF_ERROR(input.Validate());
  return input;
}

StatusOr<std::vector<Sample>> SamplesFromJson(const std::string& text,
                                              const std::vector<InputSpec>& specs) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data") || !doc["data"].IsArray()) {
    return absl::InvalidArgumentError("input JSON must be an object with a \"data\" array");
  }
  std::vector<Sample> samples;
  for (const auto& entry : doc["data"].GetArray()) {
    Sample sample;
    for (const auto& spec : specs) {
      if (!entry.IsObject() || !entry.HasMember(spec.name.c_str())) {
        return absl::InvalidArgumentError(
            absl::StrCat("input JSON entry ", samples.size(), " has no input '", spec.name, "'"));
      }
      ASSIGN_OR_RETURN(auto input, InputFromJson(spec, entry[spec.name.c_str()]));
      sample.push_back(std::move(input));
    }
    samples.push_back(std::move(sample));
  }
  if (samples.empty()) return absl::InvalidArgumentError("input JSON holds no samples");
  return samples;
}

}  // namespace

StatusOr<std::pair<std::string, std::vector<int64_t>>> ParseShapeFlag(const std::string& flag) {
  const size_t colon = flag.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return absl::InvalidArgumentError(absl::StrCat("--shape '", flag, "' is not NAME:D1,D2,..."));
  }
  std::vector<int64_t> dims;
  for (absl::string_view part : absl::StrSplit(flag.substr(colon + 1), ',')) {
    int64_t dim = 0;
    if (!absl::SimpleAtoi(part, &dim) || dim < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--shape '", flag, "': bad dimension"));
    }
    dims.push_back(dim);
  }
  return std::make_pair(flag.substr(0, colon), std::move(dims));
}

StatusOr<std::vector<InputSpec>> ResolveInputs(
    const client::ModelMetadata& metadata, int64_t max_batch_size, int64_t batch,
    const std::map<std::string, std::vector<int64_t>>& shapes) {
  if (max_batch_size == 0 && batch != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("model '", metadata.name, "' does not batch: use -b 1"));
  }
  if (max_batch_size > 0 && (batch < 1 || batch > max_batch_size)) {
    return absl::InvalidArgumentError(absl::StrCat("batch ", batch, " is outside [1, ",
                                                   max_batch_size, "] for '", metadata.name, "'"));
  }
  std::vector<InputSpec> specs;
  for (const auto& tensor : metadata.inputs) {
    std::vector<int64_t> dims = tensor.shape;
    if (max_batch_size > 0 && !dims.empty()) dims.erase(dims.begin());
    if (auto it = shapes.find(tensor.name); it != shapes.end()) {
      if (it->second.size() != dims.size()) {
        return absl::InvalidArgumentError(absl::StrCat("--shape for '", tensor.name, "' has ",
                                                       it->second.size(), " dims, the model ",
                                                       dims.size()));
      }
      dims = it->second;
    }
    for (int64_t d : dims) {
      if (d < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "input '", tensor.name, "' has variable dims: give --shape ", tensor.name, ":..."));
      }
    }
    if (max_batch_size > 0) dims.insert(dims.begin(), batch);
    specs.push_back({tensor.name, tensor.datatype, std::move(dims)});
  }
  return specs;
}

std::vector<Sample> RandomSamples(const std::vector<InputSpec>& specs, int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Sample> samples;
  for (int i = 0; i < count; ++i) {
    Sample sample;
    for (const auto& spec : specs) {
      sample.emplace_back(spec.name, spec.shape, spec.datatype);
      sample.back().SetRaw(RandomRaw(spec, client::ElementCount(spec.shape), rng));
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

StatusOr<std::vector<Sample>> LoadSamples(const std::string& path,
                                          const std::vector<InputSpec>& specs) {
  ASSIGN_OR_RETURN(const std::string text, ReadInputFile(path));
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return SamplesFromJson(text, specs);
  if (specs.size() != 1) {
    return absl::InvalidArgumentError(
        "a raw binary input file needs a model with exactly one input (use JSON)");
  }
  client::InferInput input(specs[0].name, specs[0].shape, specs[0].datatype);
  input.SetRaw(text);
  if (Status valid = input.Validate(); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("raw input file ", path, ": ", std::string(valid.message())));
  }
  return std::vector<Sample>{Sample{std::move(input)}};
}

StatusOr<std::string> ReadInputFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::InvalidArgumentError(absl::StrCat("cannot read input file ", path));
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

bool IsImage(std::string_view bytes) {
  static constexpr std::string_view kJpeg("\xFF\xD8\xFF", 3);
  static constexpr std::string_view kPng("\x89PNG\r\n\x1A\n", 8);
  return bytes.substr(0, kJpeg.size()) == kJpeg || bytes.substr(0, kPng.size()) == kPng;
}

}  // namespace inferd::tools
