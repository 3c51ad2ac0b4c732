#include "frontend/http/json_tensor.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "common/float16.h"
#include "frontend/http/utf8.h"

namespace inferd::frontend::http {
namespace {

static_assert(std::endian::native == std::endian::little, "tensor bytes are little-endian");

using rapidjson::Value;
using Visit = absl::FunctionRef<Status(const Value&)>;

Status VisitNested(const Value& value, const core::Shape& shape, size_t level, Visit visit) {
  if (level == shape.size()) {
    if (value.IsArray()) return absl::InvalidArgumentError("data is nested deeper than the shape");
    return visit(value);
  }
  if (!value.IsArray() || static_cast<int64_t>(value.Size()) != shape[level]) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nested data does not match shape ", core::ShapeToString(shape), " at level ", level));
  }
  for (const Value& element : value.GetArray()) {
    RETURN_IF_ERROR(VisitNested(element, shape, level + 1, visit));
  }
  return absl::OkStatus();
}

// Calls `visit` on every element in row-major order. Recursion is bounded by the shape's rank.
Status VisitElements(const Value& data, const core::Shape& shape, int64_t count, Visit visit) {
  if (!data.IsArray()) return absl::InvalidArgumentError("'data' must be an array");
  if (!data.Empty() && data[0].IsArray()) return VisitNested(data, shape, 0, visit);
  if (static_cast<int64_t>(data.Size()) != count) {
    return absl::InvalidArgumentError(absl::StrCat("expected ", count, " elements for shape ",
                                                   core::ShapeToString(shape), ", got ",
                                                   data.Size()));
  }
  for (const Value& element : data.GetArray()) {
    if (element.IsArray()) return absl::InvalidArgumentError("data mixes arrays and scalars");
    RETURN_IF_ERROR(visit(element));
  }
  return absl::OkStatus();
}

float NarrowToFloat(double v) { return static_cast<float>(v); }
double WidenFloat(float v) { return v; }

Status TypeError(core::DataType dtype) {
  return absl::InvalidArgumentError(
      absl::StrCat("data element is not a valid ", core::DataTypeName(dtype), " value"));
}

// Non-finite values are asked for explicitly, as the strings this file writes them as; a NaN or
// Infinity literal (not JSON, though the parser tolerates it) is refused with that advice.
StatusOr<double> ToFloatElement(const Value& value, core::DataType dtype) {
  if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    return TypeError(dtype);
  }
  if (!value.IsNumber()) return TypeError(dtype);
  const double v = value.GetDouble();
  if (!std::isfinite(v)) {
    return absl::InvalidArgumentError(
        "NaN and Infinity literals are not JSON; send the strings \"NaN\", \"Infinity\" or "
        "\"-Infinity\"");
  }
  return v;
}

// A finite number that the element type cannot hold (FP32 1e39, FP16 70000) is refused rather
// than silently becoming Infinity.
Status CheckNarrowed(double parsed, bool narrowed_is_inf, core::DataType dtype) {
  if (!std::isfinite(parsed) || !narrowed_is_inf) return absl::OkStatus();
  char text[32];
  const auto end = std::to_chars(text, text + sizeof(text), parsed).ptr;
  return absl::InvalidArgumentError(absl::StrCat(
      "value ", std::string(text, end), " is out of range for ", core::DataTypeName(dtype)));
}

template <typename T>
StatusOr<T> ToElement(const Value& value, core::DataType dtype) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!value.IsBool()) return TypeError(dtype);
    return value.GetBool();
  } else if constexpr (std::is_floating_point_v<T>) {
    return ToFloatElement(value, dtype);
  } else if constexpr (std::is_signed_v<T>) {
    if (!value.IsInt64()) return TypeError(dtype);
    const int64_t v = value.GetInt64();
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("value ", v, " is out of range for ", core::DataTypeName(dtype)));
    }
    return static_cast<T>(v);
  } else {
    if (!value.IsUint64()) return TypeError(dtype);
    const uint64_t v = value.GetUint64();
    if (v > std::numeric_limits<T>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("value ", v, " is out of range for ", core::DataTypeName(dtype)));
    }
    return static_cast<T>(v);
  }
}

// `Stored` is the element's byte representation; `Parsed` is what JSON yields (FP16/BF16 parse
// as double and are narrowed by `narrow`).
template <typename Parsed, typename Stored = Parsed>
Status FillFixed(const Value& data, const core::Shape& shape, int64_t count, core::DataType dtype,
                 std::span<std::byte> out, Stored (*narrow)(Parsed) = nullptr,
                 Parsed (*widen)(Stored) = nullptr) {
  std::byte* cursor = out.data();
  return VisitElements(data, shape, count, [&](const Value& value) -> Status {
    ASSIGN_OR_RETURN(Parsed parsed, ToElement<Parsed>(value, dtype));
    Stored stored;
    if constexpr (std::is_same_v<Parsed, Stored>) {
      stored = parsed;
    } else {
      stored = narrow(parsed);
      RETURN_IF_ERROR(CheckNarrowed(parsed, std::isinf(widen(stored)), dtype));
    }
    std::memcpy(cursor, &stored, sizeof(Stored));
    cursor += sizeof(Stored);
    return absl::OkStatus();
  });
}

StatusOr<core::Tensor> DecodeBytes(const Value& data, std::string name, core::Shape shape,
                                   int64_t count) {
  size_t total = 0;
  RETURN_IF_ERROR(VisitElements(data, shape, count, [&](const Value& value) -> Status {
    if (!value.IsString()) return TypeError(core::DataType::kBytes);
    total += 4 + value.GetStringLength();
    return absl::OkStatus();
  }));
  auto owned = core::MakeOwnedTensor(std::move(name), core::DataType::kBytes, shape, total);
  std::byte* cursor = owned.writable.data();
  RETURN_IF_ERROR(VisitElements(data, shape, count, [&](const Value& value) -> Status {
    const uint32_t length = value.GetStringLength();
    std::memcpy(cursor, &length, 4);
    std::memcpy(cursor + 4, value.GetString(), length);
    cursor += 4 + length;
    return absl::OkStatus();
  }));
  return std::move(owned.tensor);
}

Status FillByType(const Value& data, const core::Shape& shape, int64_t count, core::DataType dtype,
                  std::span<std::byte> out) {
  using core::DataType;
  switch (dtype) {
    case DataType::kBool:
      return FillFixed<bool>(data, shape, count, dtype, out);
    case DataType::kUint8:
      return FillFixed<uint8_t>(data, shape, count, dtype, out);
    case DataType::kUint16:
      return FillFixed<uint16_t>(data, shape, count, dtype, out);
    case DataType::kUint32:
      return FillFixed<uint32_t>(data, shape, count, dtype, out);
    case DataType::kUint64:
      return FillFixed<uint64_t>(data, shape, count, dtype, out);
    case DataType::kInt8:
      return FillFixed<int8_t>(data, shape, count, dtype, out);
    case DataType::kInt16:
      return FillFixed<int16_t>(data, shape, count, dtype, out);
    case DataType::kInt32:
      return FillFixed<int32_t>(data, shape, count, dtype, out);
    case DataType::kInt64:
      return FillFixed<int64_t>(data, shape, count, dtype, out);
    case DataType::kFp16:
      return FillFixed<double, uint16_t>(data, shape, count, dtype, out, &DoubleToHalf,
                                         &HalfToDouble);
    case DataType::kBf16:
      return FillFixed<double, uint16_t>(data, shape, count, dtype, out, &DoubleToBf16,
                                         &Bf16ToDouble);
    case DataType::kFp32:
      return FillFixed<double, float>(data, shape, count, dtype, out, &NarrowToFloat, &WidenFloat);
    case DataType::kFp64:
      return FillFixed<double>(data, shape, count, dtype, out);
    default:
      return absl::InvalidArgumentError("unsupported datatype");
  }
}

// Shortest round-trip text. JSON has no NaN/Infinity numbers: non-finite values are the strings
// "NaN", "Infinity" and "-Infinity", as in protobuf's JSON mapping (docs/protocols.md says why).
template <typename T>
void WriteFloat(T value, JsonWriter& writer) {
  if (std::isnan(value)) {
    writer.String("NaN", 3);
  } else if (std::isinf(value)) {
    value > 0 ? writer.String("Infinity", 8) : writer.String("-Infinity", 9);
  } else {
    char buf[32];
    auto result = std::to_chars(buf, buf + sizeof(buf), value);
    writer.RawValue(buf, static_cast<size_t>(result.ptr - buf), rapidjson::kNumberType);
  }
}

template <typename T>
T Load(const std::byte* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

Status WriteBytesElements(const core::Tensor& tensor, int64_t count, JsonWriter& writer) {
  std::string_view rest(reinterpret_cast<const char*>(tensor.data.data()), tensor.data.size());
  for (int64_t i = 0; i < count; ++i) {
    if (rest.size() < 4) return absl::InternalError("BYTES tensor is truncated");
    const uint32_t length = Load<uint32_t>(reinterpret_cast<const std::byte*>(rest.data()));
    rest.remove_prefix(4);
    if (rest.size() < length) return absl::InternalError("BYTES tensor is truncated");
    const std::string_view element = rest.substr(0, length);
    rest.remove_prefix(length);
    if (IsValidUtf8(element)) {
      writer.String(element.data(), static_cast<rapidjson::SizeType>(element.size()));
    } else {
      const std::string fixed = ReplaceInvalidUtf8(element);
      writer.String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()));
    }
  }
  if (!rest.empty()) return absl::InternalError("BYTES tensor has trailing bytes");
  return absl::OkStatus();
}

template <typename T, typename Fn>
void WriteEach(const core::Tensor& tensor, int64_t count, Fn&& write_one) {
  const std::byte* p = tensor.data.data();
  for (int64_t i = 0; i < count; ++i) write_one(Load<T>(p + i * sizeof(T)));
}

void WriteFixedElements(const core::Tensor& tensor, int64_t count, JsonWriter& writer) {
  using core::DataType;
  auto as_uint = [&](uint64_t v) { writer.Uint64(v); };
  auto as_int = [&](int64_t v) { writer.Int64(v); };
  switch (tensor.dtype) {
    case DataType::kBool:
      return WriteEach<uint8_t>(tensor, count, [&](uint8_t v) { writer.Bool(v != 0); });
    case DataType::kUint8:
      return WriteEach<uint8_t>(tensor, count, as_uint);
    case DataType::kUint16:
      return WriteEach<uint16_t>(tensor, count, as_uint);
    case DataType::kUint32:
      return WriteEach<uint32_t>(tensor, count, as_uint);
    case DataType::kUint64:
      return WriteEach<uint64_t>(tensor, count, as_uint);
    case DataType::kInt8:
      return WriteEach<int8_t>(tensor, count, as_int);
    case DataType::kInt16:
      return WriteEach<int16_t>(tensor, count, as_int);
    case DataType::kInt32:
      return WriteEach<int32_t>(tensor, count, as_int);
    case DataType::kInt64:
      return WriteEach<int64_t>(tensor, count, as_int);
    case DataType::kFp16:
      return WriteEach<uint16_t>(tensor, count, [&](uint16_t v) {
        WriteFloat(static_cast<float>(HalfToDouble(v)), writer);
      });
    case DataType::kBf16:
      return WriteEach<uint16_t>(tensor, count, [&](uint16_t v) {
        WriteFloat(static_cast<float>(Bf16ToDouble(v)), writer);
      });
    case DataType::kFp32:
      return WriteEach<float>(tensor, count, [&](float v) { WriteFloat(v, writer); });
    case DataType::kFp64:
      return WriteEach<double>(tensor, count, [&](double v) { WriteFloat(v, writer); });
    default:
      return;
  }
}

}  // namespace

StatusOr<core::Tensor> DecodeJsonTensor(const rapidjson::Value& data, std::string name,
                                        core::DataType dtype, core::Shape shape,
                                        int64_t max_elements) {
  ASSIGN_OR_RETURN(const int64_t count, core::ElementCount(shape, max_elements));
  if (dtype == core::DataType::kBytes)
    return DecodeBytes(data, std::move(name), std::move(shape), count);
  const size_t element_size = core::ElementSize(dtype);
  if (element_size == 0) return absl::InvalidArgumentError("unsupported datatype");
  auto owned = core::MakeOwnedTensor(std::move(name), dtype, std::move(shape),
                                     static_cast<size_t>(count) * element_size);
  RETURN_IF_ERROR(FillByType(data, owned.tensor.shape, count, dtype, owned.writable));
  return std::move(owned.tensor);
}

Status WriteJsonTensorData(const core::Tensor& tensor, JsonWriter& writer) {
  ASSIGN_OR_RETURN(const int64_t count, core::ElementCount(tensor.shape));
  writer.StartArray();
  if (tensor.dtype == core::DataType::kBytes) {
    RETURN_IF_ERROR(WriteBytesElements(tensor, count, writer));
  } else {
    const size_t element_size = core::ElementSize(tensor.dtype);
    if (element_size == 0 || tensor.data.size() != static_cast<uint64_t>(count) * element_size) {
      return absl::InternalError(absl::StrCat("output '", tensor.name, "' has ", tensor.data.size(),
                                              " bytes, expected ",
                                              count * static_cast<int64_t>(element_size)));
    }
    WriteFixedElements(tensor, count, writer);
  }
  writer.EndArray();
  return absl::OkStatus();
}

void WriteJsonFloat(float value, JsonWriter& writer) { WriteFloat(value, writer); }
void WriteJsonFloat(double value, JsonWriter& writer) { WriteFloat(value, writer); }

}  // namespace inferd::frontend::http
