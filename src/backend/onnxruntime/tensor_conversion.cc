#include "backend/onnxruntime/tensor_conversion.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "backend/onnxruntime/type_mapping.h"
#include "core/bytes_layout.h"
#include "core/shape.h"

namespace inferd::backend::ort {
namespace {

// Bounds any element count so count * element size cannot overflow.
constexpr int64_t kMaxElements = std::numeric_limits<int64_t>::max() / 16;
constexpr size_t kLengthPrefix = 4;

// Splits a BYTES buffer into exactly `count` element views, rejecting truncation.
StatusOr<std::vector<std::string_view>> SplitBytes(const core::Tensor& tensor, int64_t count) {
  auto elements = core::SplitBytesElements(tensor.data);
  if (!elements.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "': ", elements.status().message()));
  }
  if (static_cast<int64_t>(elements->size()) != count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input '", tensor.name, "' has ", elements->size(), " BYTES elements but shape ",
        core::ShapeToString(tensor.shape), " needs ", count));
  }
  return elements;
}

Status AppendStringValue(const core::Tensor& tensor, int64_t count, InputValues& out) {
  ASSIGN_OR_RETURN(auto elements, SplitBytes(tensor, count));
  Ort::AllocatorWithDefaultOptions allocator;
  Ort::Value value = Ort::Value::CreateTensor(allocator, tensor.shape.data(), tensor.shape.size(),
                                              ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING);
  // Element by element with explicit lengths: FillStringTensor would stop at embedded NULs.
  for (size_t i = 0; i < elements.size(); ++i) {
    char* buffer = value.GetResizedStringTensorElementBuffer(i, elements[i].size());
    if (!elements[i].empty()) std::memcpy(buffer, elements[i].data(), elements[i].size());
  }
  out.values.push_back(std::move(value));
  return absl::OkStatus();
}

Status AppendFixedValue(const core::Tensor& tensor, size_t bytes, const Ort::MemoryInfo& cpu,
                        InputValues& out) {
  const size_t element_size = core::ElementSize(tensor.dtype);
  if (tensor.data.size() != bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "' has ", tensor.data.size(), " bytes but shape ",
                     core::ShapeToString(tensor.shape), " of ", core::DataTypeName(tensor.dtype),
                     " needs ", bytes));
  }
  // ORT reads inputs only; the const_cast is the C API's lack of a const tensor constructor.
  void* data = const_cast<std::byte*>(tensor.data.data());
  alignas(16) static std::byte empty[16];
  if (data == nullptr) {
    data = empty;  // a zero-element tensor: ORT still wants a pointer
  } else if (reinterpret_cast<uintptr_t>(data) % element_size != 0) {
    out.copies.emplace_back(tensor.data.begin(), tensor.data.end());
    data = out.copies.back().data();
  }
  out.values.push_back(Ort::Value::CreateTensor(cpu, data, bytes, tensor.shape.data(),
                                                tensor.shape.size(), ToOrtType(tensor.dtype)));
  return absl::OkStatus();
}

StatusOr<core::Tensor> StringOutput(std::string name, const Ort::Value& value, core::Shape shape,
                                    size_t count) {
  const size_t total = value.GetStringTensorDataLength();
  std::vector<char> content(total + 1);  // never empty: ORT rejects a null buffer
  std::vector<size_t> offsets(count + 1);
  if (count > 0) value.GetStringTensorContent(content.data(), total, offsets.data(), count);
  offsets[count] = total;
  auto buffer = std::make_shared<std::vector<std::byte>>();
  buffer->reserve(count * kLengthPrefix + total);
  for (size_t i = 0; i < count; ++i) {
    const size_t length = offsets[i + 1] - offsets[i];
    if (length > std::numeric_limits<uint32_t>::max()) {
      return absl::InternalError(
          absl::StrCat("output '", name, "' element ", i, " is longer than 4 GiB"));
    }
    core::AppendBytesElement(std::string_view(content.data() + offsets[i], length), *buffer);
  }
  const std::span<const std::byte> data(buffer->data(), buffer->size());
  return core::Tensor{std::move(name), core::DataType::kBytes, std::move(shape), data,
                      std::move(buffer)};
}

}  // namespace

Status AppendInputValue(const core::Tensor& tensor, const Ort::MemoryInfo& cpu, InputValues& out) {
  auto count = core::ElementCount(tensor.shape, kMaxElements);
  if (!count.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "': ", count.status().message()));
  }
  if (tensor.dtype == core::DataType::kBytes) return AppendStringValue(tensor, *count, out);
  const size_t element_size = core::ElementSize(tensor.dtype);
  if (element_size == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("input '", tensor.name, "' has datatype ", core::DataTypeName(tensor.dtype)));
  }
  return AppendFixedValue(tensor, static_cast<size_t>(*count) * element_size, cpu, out);
}

StatusOr<core::Tensor> ToCoreTensor(std::string name, Ort::Value value) {
  if (!value.IsTensor()) {
    return absl::InternalError(absl::StrCat("output '", name, "' is not a tensor"));
  }
  auto info = value.GetTensorTypeAndShapeInfo();
  const core::DataType dtype = FromOrtType(info.GetElementType());
  core::Shape shape = info.GetShape();
  const size_t count = info.GetElementCount();
  if (dtype == core::DataType::kInvalid) {
    return absl::InternalError(absl::StrCat("output '", name, "' has an unsupported element type"));
  }
  if (dtype == core::DataType::kBytes) {
    return StringOutput(std::move(name), value, std::move(shape), count);
  }
  auto owner = std::make_shared<Ort::Value>(std::move(value));
  // An empty tensor may have no buffer at all; do not ask ORT for it.
  const auto* data =
      count == 0 ? nullptr : static_cast<const std::byte*>(owner->GetTensorRawData());
  const size_t bytes = count * core::ElementSize(dtype);
  return core::Tensor{std::move(name), dtype, std::move(shape),
                      std::span<const std::byte>(data, bytes), std::move(owner)};
}

}  // namespace inferd::backend::ort
