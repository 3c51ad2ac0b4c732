// Helpers shared by this folder's tests: model paths and typed tensor construction/inspection.
// Test-only; header-only so each test file stays self-contained.
#pragma once

#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "core/tensor.h"

namespace inferd::backend::ort::testing {

inline std::filesystem::path ExampleModel(std::string_view name) {
  return std::filesystem::path(INFERD_SOURCE_DIR) / "examples/model_repository" / name /
         "1/model.onnx";
}

inline std::filesystem::path TestModel(std::string_view name) {
  return std::filesystem::path(INFERD_SOURCE_DIR) / "tests/testdata/model_repository" / name /
         "1/model.onnx";
}

inline ModelSpec Spec(std::string name, std::filesystem::path file) {
  ModelSpec spec;
  spec.name = std::move(name);
  spec.version = 1;
  spec.model_file = std::move(file);
  spec.config.set_name(spec.name);
  return spec;
}

template <typename T>
core::Tensor MakeTensor(std::string name, core::DataType dtype, core::Shape shape,
                        const std::vector<T>& values) {
  auto owned =
      core::MakeOwnedTensor(std::move(name), dtype, std::move(shape), values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(owned.writable.data(), values.data(), owned.writable.size());
  return owned.tensor;
}

// BYTES layout: 4-byte little-endian length + bytes per element.
inline core::Tensor MakeBytesTensor(std::string name, core::Shape shape,
                                    const std::vector<std::string>& values) {
  std::string raw;
  for (const std::string& value : values) {
    const auto length = static_cast<uint32_t>(value.size());
    for (int i = 0; i < 4; ++i) raw.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
    raw += value;
  }
  auto owned =
      core::MakeOwnedTensor(std::move(name), core::DataType::kBytes, std::move(shape), raw.size());
  if (!raw.empty()) std::memcpy(owned.writable.data(), raw.data(), raw.size());
  return owned.tensor;
}

template <typename T>
std::vector<T> Values(const core::Tensor& tensor) {
  std::vector<T> values(tensor.data.size() / sizeof(T));
  if (!values.empty()) std::memcpy(values.data(), tensor.data.data(), values.size() * sizeof(T));
  return values;
}

inline std::vector<std::byte> Bytes(const core::Tensor& tensor) {
  return {tensor.data.begin(), tensor.data.end()};
}

}  // namespace inferd::backend::ort::testing
