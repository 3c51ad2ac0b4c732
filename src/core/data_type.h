// Tensor element types as the KServe v2 protocol names them ("FP32", "BYTES", ...), with the
// conversions to and from the model config's enum (TYPE_FP32, TYPE_STRING, ...). Pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "model_config.pb.h"

namespace inferd::core {

enum class DataType {
  kInvalid,
  kBool,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFp16,
  kBf16,
  kFp32,
  kFp64,
  kBytes,
};

// Size in bytes of one element; 0 for BYTES (variable length) and kInvalid.
size_t ElementSize(DataType type);

// "FP32", "BYTES", ... (the KServe v2 names); "INVALID" for kInvalid.
const char* DataTypeName(DataType type);

// Parses a KServe v2 datatype name; nullopt when unknown.
std::optional<DataType> ParseDataType(std::string_view name);

// Model-config enum <-> DataType. TYPE_STRING is BYTES.
DataType FromConfigType(::inference::DataType type);
::inference::DataType ToConfigType(DataType type);

}  // namespace inferd::core
