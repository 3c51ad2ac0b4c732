#include "frontend/http/json_value_tensor.h"

#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/float16.h"
#include "core/bytes_layout.h"
#include "frontend/http/utf8.h"

namespace inferd::frontend::http {
namespace {

using rapidjson::Value;

// Replaces every {"b64": s} in `value` by the string it encodes. Recursion is bounded by the
// JSON depth limit the document was parsed with.
Status DecodeB64InPlace(Value& value, rapidjson::Document::AllocatorType& allocator) {
  if (value.IsArray()) {
    for (Value& element : value.GetArray()) RETURN_IF_ERROR(DecodeB64InPlace(element, allocator));
    return absl::OkStatus();
  }
  if (!IsB64Object(value)) return absl::OkStatus();
  const Value& text = value.MemberBegin()->value;
  if (!text.IsString()) return absl::InvalidArgumentError("'b64' value must be a string");
  std::string decoded;
  if (!absl::Base64Unescape(absl::string_view(text.GetString(), text.GetStringLength()),
                            &decoded)) {
    return absl::InvalidArgumentError("'b64' value is not valid base64");
  }
  value.SetString(decoded.data(), static_cast<rapidjson::SizeType>(decoded.size()), allocator);
  return absl::OkStatus();
}

template <typename T>
T Load(const std::byte* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

}  // namespace

core::Shape JsonValueShape(const rapidjson::Value& value) {
  core::Shape shape;
  const Value* level = &value;
  while (level->IsArray()) {
    shape.push_back(level->Size());
    if (level->Empty()) break;
    level = &(*level)[0];
  }
  return shape;
}

bool IsB64Object(const rapidjson::Value& value) {
  return value.IsObject() && value.MemberCount() == 1 &&
         std::string_view(value.MemberBegin()->name.GetString(),
                          value.MemberBegin()->name.GetStringLength()) == "b64";
}

StatusOr<core::Tensor> DecodeJsonValueTensor(rapidjson::Value& value,
                                             rapidjson::Document::AllocatorType& allocator,
                                             std::string name, core::DataType dtype,
                                             int64_t max_elements) {
  if (dtype == core::DataType::kBytes) RETURN_IF_ERROR(DecodeB64InPlace(value, allocator));
  core::Shape shape = JsonValueShape(value);
  auto decoded = [&]() -> StatusOr<core::Tensor> {
    if (value.IsArray()) return DecodeJsonTensor(value, name, dtype, shape, max_elements);
    Value scalar(rapidjson::kArrayType);  // DecodeJsonTensor reads an array of elements
    scalar.PushBack(Value(value, allocator), allocator);
    return DecodeJsonTensor(scalar, name, dtype, shape, max_elements);
  }();
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", name, "': ", std::string(decoded.status().message())));
  }
  return decoded;
}

StatusOr<JsonValueWriter> JsonValueWriter::Create(const core::Tensor& tensor) {
  JsonValueWriter writer(tensor);
  ASSIGN_OR_RETURN(const int64_t count, core::ElementCount(tensor.shape));
  if (tensor.dtype == core::DataType::kBytes) {
    ASSIGN_OR_RETURN(writer.bytes_, core::SplitBytesElements(tensor.data));
    if (static_cast<int64_t>(writer.bytes_.size()) != count) {
      return absl::InternalError(absl::StrCat("output '", tensor.name, "' has ",
                                              writer.bytes_.size(), " elements, expected ", count));
    }
    writer.b64_ = absl::EndsWith(tensor.name, "_bytes");
    return writer;
  }
  const size_t element_size = core::ElementSize(tensor.dtype);
  if (element_size == 0 || tensor.data.size() != static_cast<uint64_t>(count) * element_size) {
    return absl::InternalError(absl::StrCat("output '", tensor.name, "' has ", tensor.data.size(),
                                            " bytes, expected ",
                                            count * static_cast<int64_t>(element_size)));
  }
  return writer;
}

void JsonValueWriter::WriteAll(JsonWriter& writer) const {
  int64_t index = 0;
  WriteNested(0, index, writer);
}

void JsonValueWriter::WriteRow(int64_t row, JsonWriter& writer) const {
  int64_t row_size = 1;
  for (size_t d = 1; d < tensor_->shape.size(); ++d) row_size *= tensor_->shape[d];
  int64_t index = row * row_size;
  WriteNested(1, index, writer);
}

void JsonValueWriter::WriteNested(size_t dim, int64_t& index, JsonWriter& writer) const {
  if (dim == tensor_->shape.size()) {
    WriteElement(index++, writer);
    return;
  }
  writer.StartArray();
  for (int64_t i = 0; i < tensor_->shape[dim]; ++i) WriteNested(dim + 1, index, writer);
  writer.EndArray();
}

void JsonValueWriter::WriteBytes(std::string_view element, JsonWriter& writer) const {
  if (!b64_ && IsValidUtf8(element)) {
    writer.String(element.data(), static_cast<rapidjson::SizeType>(element.size()));
    return;
  }
  const std::string encoded = absl::Base64Escape(absl::string_view(element.data(), element.size()));
  writer.StartObject();
  writer.Key("b64");
  writer.String(encoded.data(), static_cast<rapidjson::SizeType>(encoded.size()));
  writer.EndObject();
}

void JsonValueWriter::WriteElement(int64_t index, JsonWriter& writer) const {
  using core::DataType;
  const std::byte* p = tensor_->data.data() + index * core::ElementSize(tensor_->dtype);
  switch (tensor_->dtype) {
    case DataType::kBytes:
      return WriteBytes(bytes_[index], writer);
    case DataType::kBool:
      writer.Bool(Load<uint8_t>(p) != 0);
      return;
    case DataType::kUint8:
      writer.Uint(Load<uint8_t>(p));
      return;
    case DataType::kUint16:
      writer.Uint(Load<uint16_t>(p));
      return;
    case DataType::kUint32:
      writer.Uint(Load<uint32_t>(p));
      return;
    case DataType::kUint64:
      writer.Uint64(Load<uint64_t>(p));
      return;
    case DataType::kInt8:
      writer.Int(Load<int8_t>(p));
      return;
    case DataType::kInt16:
      writer.Int(Load<int16_t>(p));
      return;
    case DataType::kInt32:
      writer.Int(Load<int32_t>(p));
      return;
    case DataType::kInt64:
      writer.Int64(Load<int64_t>(p));
      return;
    case DataType::kFp16:
      return WriteJsonFloat(static_cast<float>(HalfToDouble(Load<uint16_t>(p))), writer);
    case DataType::kBf16:
      return WriteJsonFloat(static_cast<float>(Bf16ToDouble(Load<uint16_t>(p))), writer);
    case DataType::kFp32:
      return WriteJsonFloat(Load<float>(p), writer);
    case DataType::kFp64:
      return WriteJsonFloat(Load<double>(p), writer);
    default:
      writer.Null();
      return;
  }
}

}  // namespace inferd::frontend::http
