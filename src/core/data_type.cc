#include "core/data_type.h"

#include <array>
#include <utility>

namespace inferd::core {
namespace {

struct TypeInfo {
  DataType type;
  const char* name;
  size_t size;
  ::inference::DataType config;
};

constexpr std::array<TypeInfo, 15> kTypes = {{
    {DataType::kInvalid, "INVALID", 0, ::inference::TYPE_INVALID},
    {DataType::kBool, "BOOL", 1, ::inference::TYPE_BOOL},
    {DataType::kUint8, "UINT8", 1, ::inference::TYPE_UINT8},
    {DataType::kUint16, "UINT16", 2, ::inference::TYPE_UINT16},
    {DataType::kUint32, "UINT32", 4, ::inference::TYPE_UINT32},
    {DataType::kUint64, "UINT64", 8, ::inference::TYPE_UINT64},
    {DataType::kInt8, "INT8", 1, ::inference::TYPE_INT8},
    {DataType::kInt16, "INT16", 2, ::inference::TYPE_INT16},
    {DataType::kInt32, "INT32", 4, ::inference::TYPE_INT32},
    {DataType::kInt64, "INT64", 8, ::inference::TYPE_INT64},
    {DataType::kFp16, "FP16", 2, ::inference::TYPE_FP16},
    {DataType::kBf16, "BF16", 2, ::inference::TYPE_BF16},
    {DataType::kFp32, "FP32", 4, ::inference::TYPE_FP32},
    {DataType::kFp64, "FP64", 8, ::inference::TYPE_FP64},
    {DataType::kBytes, "BYTES", 0, ::inference::TYPE_STRING},
}};

const TypeInfo& Info(DataType type) {
  for (const auto& info : kTypes) {
    if (info.type == type) return info;
  }
  return kTypes[0];
}

}  // namespace

size_t ElementSize(DataType type) { return Info(type).size; }

const char* DataTypeName(DataType type) { return Info(type).name; }

std::optional<DataType> ParseDataType(std::string_view name) {
  for (const auto& info : kTypes) {
    if (info.type != DataType::kInvalid && std::string_view(info.name) == name) return info.type;
  }
  return std::nullopt;
}

DataType FromConfigType(::inference::DataType type) {
  for (const auto& info : kTypes) {
    if (info.config == type) return info.type;
  }
  return DataType::kInvalid;
}

::inference::DataType ToConfigType(DataType type) { return Info(type).config; }

}  // namespace inferd::core
