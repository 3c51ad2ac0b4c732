#include "client/json_tensor.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "client/infer_types.h"
#include "common/float16.h"

namespace inferd::client {
namespace {

template <typename T>
T Load(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

template <typename T>
void Store(T value, std::string& raw) {
  raw.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// JSON has no NaN/Infinity numbers: the server reads and writes them as these strings (the
// protobuf JSON mapping's spelling).
void WriteFloat(double value, JsonWriter& w) {
  if (std::isnan(value)) {
    w.String("NaN");
  } else if (std::isinf(value)) {
    w.String(value > 0 ? "Infinity" : "-Infinity");
  } else {
    w.Double(value);
  }
}

StatusOr<double> ReadFloat(const rapidjson::Value& v) {
  if (v.IsString()) {
    const std::string_view text(v.GetString(), v.GetStringLength());
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  if (!v.IsNumber()) return absl::InvalidArgumentError("floating-point element is not a number");
  return v.GetDouble();
}

void WriteElement(std::string_view datatype, const char* p, JsonWriter& w) {
  if (datatype == "BOOL") {
    w.Bool(*p != 0);
  } else if (datatype == "UINT8") {
    w.Uint(Load<uint8_t>(p));
  } else if (datatype == "UINT16") {
    w.Uint(Load<uint16_t>(p));
  } else if (datatype == "UINT32") {
    w.Uint(Load<uint32_t>(p));
  } else if (datatype == "UINT64") {
    w.Uint64(Load<uint64_t>(p));
  } else if (datatype == "INT8") {
    w.Int(Load<int8_t>(p));
  } else if (datatype == "INT16") {
    w.Int(Load<int16_t>(p));
  } else if (datatype == "INT32") {
    w.Int(Load<int32_t>(p));
  } else if (datatype == "INT64") {
    w.Int64(Load<int64_t>(p));
  } else if (datatype == "FP16") {
    WriteFloat(HalfToDouble(Load<uint16_t>(p)), w);
  } else if (datatype == "BF16") {
    WriteFloat(Bf16ToDouble(Load<uint16_t>(p)), w);
  } else if (datatype == "FP32") {
    WriteFloat(Load<float>(p), w);
  } else {
    WriteFloat(Load<double>(p), w);
  }
}

bool InRange(double v, double lo, double hi) { return v >= lo && v <= hi; }

template <typename T>
Status StoreInteger(const rapidjson::Value& v, std::string& raw) {
  if (v.IsInt64() &&
      InRange(static_cast<double>(v.GetInt64()), static_cast<double>(std::numeric_limits<T>::min()),
              static_cast<double>(std::numeric_limits<T>::max()))) {
    Store(static_cast<T>(v.GetInt64()), raw);
    return absl::OkStatus();
  }
  if (v.IsUint64() &&
      static_cast<double>(v.GetUint64()) <= static_cast<double>(std::numeric_limits<T>::max())) {
    Store(static_cast<T>(v.GetUint64()), raw);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("JSON element is not an integer in the datatype's range");
}

Status StoreElement(std::string_view dt, const rapidjson::Value& v, std::string& raw) {
  if (dt == "BYTES") {
    if (!v.IsString()) return absl::InvalidArgumentError("BYTES element is not a string");
    AppendBytesElement(std::string_view(v.GetString(), v.GetStringLength()), raw);
    return absl::OkStatus();
  }
  if (dt == "BOOL") {
    if (!v.IsBool()) return absl::InvalidArgumentError("BOOL element is not true or false");
    raw.push_back(v.GetBool() ? 1 : 0);
    return absl::OkStatus();
  }
  if (dt == "UINT8") return StoreInteger<uint8_t>(v, raw);
  if (dt == "UINT16") return StoreInteger<uint16_t>(v, raw);
  if (dt == "UINT32") return StoreInteger<uint32_t>(v, raw);
  if (dt == "UINT64") return StoreInteger<uint64_t>(v, raw);
  if (dt == "INT8") return StoreInteger<int8_t>(v, raw);
  if (dt == "INT16") return StoreInteger<int16_t>(v, raw);
  if (dt == "INT32") return StoreInteger<int32_t>(v, raw);
  if (dt == "INT64") return StoreInteger<int64_t>(v, raw);
  ASSIGN_OR_RETURN(const double d, ReadFloat(v));
  if (dt == "FP16") {
    Store(DoubleToHalf(d), raw);
  } else if (dt == "BF16") {
    Store(DoubleToBf16(d), raw);
  } else if (dt == "FP32") {
    Store(static_cast<float>(d), raw);
  } else if (dt == "FP64") {
    Store(d, raw);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown datatype '", std::string(dt), "'"));
  }
  return absl::OkStatus();
}

}  // namespace

Status WriteJsonData(std::string_view datatype, std::string_view raw, JsonWriter& writer) {
  writer.StartArray();
  if (datatype == "BYTES") {
    ASSIGN_OR_RETURN(auto elements, SplitBytesElements(raw));
    for (const auto& e : elements) {
      writer.String(e.data(), static_cast<rapidjson::SizeType>(e.size()));
    }
  } else {
    const size_t size = ElementSize(datatype);
    if (size == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown datatype '", std::string(datatype), "'"));
    }
    for (size_t offset = 0; offset + size <= raw.size(); offset += size) {
      WriteElement(datatype, raw.data() + offset, writer);
    }
  }
  writer.EndArray();
  return absl::OkStatus();
}

StatusOr<int64_t> AppendJsonData(std::string_view datatype, const rapidjson::Value& data,
                                 std::string& raw) {
  if (!data.IsArray()) {
    RETURN_IF_ERROR(StoreElement(datatype, data, raw));
    return 1;
  }
  int64_t count = 0;
  for (const auto& element : data.GetArray()) {
    ASSIGN_OR_RETURN(int64_t n, AppendJsonData(datatype, element, raw));
    count += n;
  }
  return count;
}

}  // namespace inferd::client
