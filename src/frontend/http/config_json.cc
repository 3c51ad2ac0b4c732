#include "frontend/http/config_json.h"

#include <cstdint>
#include <string_view>

#include <charconv>
#include "absl/strings/str_cat.h"
#include "frontend/http/json_parse.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

namespace pb = google::protobuf;

bool Is64BitInteger(const pb::FieldDescriptor& field) {
  return field.cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64 ||
         field.cpp_type() == pb::FieldDescriptor::CPPTYPE_UINT64;
}

template <typename T>
bool ParseWhole(std::string_view text, T& number) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

void ToNumber(rapidjson::Value& value, const pb::FieldDescriptor& field) {
  if (!value.IsString()) return;
  const std::string_view text(value.GetString(), value.GetStringLength());
  if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64) {
    int64_t number = 0;
    if (ParseWhole(text, number)) value.SetInt64(number);
  } else {
    uint64_t number = 0;
    if (ParseWhole(text, number)) value.SetUint64(number);
  }
}

void FixMessage(rapidjson::Value& object, const pb::Descriptor& descriptor);

// Applies the fix to one field's JSON value (a scalar, an array, or a map object).
void FixField(rapidjson::Value& value, const pb::FieldDescriptor& field) {
  if (field.is_map()) {
    const pb::FieldDescriptor* map_value = field.message_type()->map_value();
    if (!value.IsObject()) return;
    for (auto& entry : value.GetObject()) FixField(entry.value, *map_value);
    return;
  }
  if (field.is_repeated() && value.IsArray()) {
    for (auto& element : value.GetArray()) {
      if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (element.IsObject()) FixMessage(element, *field.message_type());
      } else if (Is64BitInteger(field)) {
        ToNumber(element, field);
      }
    }
    return;
  }
  if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
    if (value.IsObject()) FixMessage(value, *field.message_type());
  } else if (Is64BitInteger(field)) {
    ToNumber(value, field);
  }
}

void FixMessage(rapidjson::Value& object, const pb::Descriptor& descriptor) {
  for (auto& member : object.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    const pb::FieldDescriptor* field = descriptor.FindFieldByName(name);
    if (field != nullptr) FixField(member.value, *field);
  }
}

}  // namespace

StatusOr<std::string> ModelConfigToJson(const ::inference::ModelConfig& config) {
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string proto_json;
  const auto printed = pb::util::MessageToJsonString(config, &proto_json, options);
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the model config as JSON: ", printed.ToString()));
  }
  // Config nesting is bounded by the schema, not by a client, so any depth is fine here.
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(proto_json, 1024));
  if (doc.IsObject()) FixMessage(doc, *::inference::ModelConfig::descriptor());
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
