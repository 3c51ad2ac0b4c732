#include "frontend/grpc/tensor_codec.h"

#include <cstring>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/bytes_layout.h"

namespace inferd::frontend::grpc {
namespace {

using ::google::protobuf::RepeatedField;
using ::inference::InferTensorContents;

// The InferTensorContents fields, in proto field order.
enum class Field { kBool, kInt, kInt64, kUint, kUint64, kFp32, kFp64, kBytes, kNone };
constexpr const char* kFieldNames[] = {"bool_contents", "int_contents",    "int64_contents",
                                       "uint_contents", "uint64_contents", "fp32_contents",
                                       "fp64_contents", "bytes_contents"};

Field FieldFor(core::DataType dtype) {
  using core::DataType;
  switch (dtype) {
    case DataType::kBool:
      return Field::kBool;
    case DataType::kInt8:
    case DataType::kInt16:
    case DataType::kInt32:
      return Field::kInt;
    case DataType::kInt64:
      return Field::kInt64;
    case DataType::kUint8:
    case DataType::kUint16:
    case DataType::kUint32:
      return Field::kUint;
    case DataType::kUint64:
      return Field::kUint64;
    case DataType::kFp32:
      return Field::kFp32;
    case DataType::kFp64:
      return Field::kFp64;
    case DataType::kBytes:
      return Field::kBytes;
    default:
      return Field::kNone;
  }
}

int64_t FieldSize(const InferTensorContents& c, Field field) {
  switch (field) {
    case Field::kBool:
      return c.bool_contents_size();
    case Field::kInt:
      return c.int_contents_size();
    case Field::kInt64:
      return c.int64_contents_size();
    case Field::kUint:
      return c.uint_contents_size();
    case Field::kUint64:
      return c.uint64_contents_size();
    case Field::kFp32:
      return c.fp32_contents_size();
    case Field::kFp64:
      return c.fp64_contents_size();
    case Field::kBytes:
      return c.bytes_contents_size();
    default:
      return 0;
  }
}

Status Invalid(const core::Tensor& tensor, std::string message) {
  return absl::InvalidArgumentError(absl::StrCat("input '", tensor.name, "': ", message));
}

template <typename T>
std::span<const std::byte> ViewInPlace(const RepeatedField<T>& field) {
  return std::as_bytes(std::span<const T>(field.data(), static_cast<size_t>(field.size())));
}

// INT8/16 and UINT8/16 travel widened; narrow them into an owned buffer, rejecting values
// that do not fit (a silent wrap would compute on other data than the client sent).
template <typename Out, typename In>
Status Narrow(const RepeatedField<In>& values, core::Tensor& tensor) {
  auto owned = core::MakeOwnedTensor(tensor.name, tensor.dtype, tensor.shape,
                                     static_cast<size_t>(values.size()) * sizeof(Out));
  for (int i = 0; i < values.size(); ++i) {
    const In value = values.Get(i);
    if (!std::in_range<Out>(value)) {
      return Invalid(tensor, absl::StrCat("value ", value, " at index ", i, " does not fit ",
                                          core::DataTypeName(tensor.dtype)));
    }
    const Out narrowed = static_cast<Out>(value);
    std::memcpy(owned.writable.data() + static_cast<size_t>(i) * sizeof(Out), &narrowed,
                sizeof(Out));
  }
  tensor = std::move(owned.tensor);
  return absl::OkStatus();
}

void BytesToTensor(const InferTensorContents& contents, core::Tensor& tensor) {
  size_t total = 0;
  for (const std::string& element : contents.bytes_contents()) total += 4 + element.size();
  auto buffer = std::make_shared<std::vector<std::byte>>();
  buffer->reserve(total);
  for (const std::string& element : contents.bytes_contents()) {
    core::AppendBytesElement(element, *buffer);
  }
  tensor.data = std::span<const std::byte>(buffer->data(), buffer->size());
  tensor.owner = std::move(buffer);
}

template <typename Wire, typename Elem>
void AppendWidened(std::span<const std::byte> data, RepeatedField<Wire>& out) {
  const size_t n = data.size() / sizeof(Elem);
  out.Reserve(static_cast<int>(n));
  for (size_t i = 0; i < n; ++i) {
    Elem element;
    std::memcpy(&element, data.data() + i * sizeof(Elem), sizeof(Elem));
    out.AddAlreadyReserved(static_cast<Wire>(element));
  }
}

template <typename T>
void CopyInto(std::span<const std::byte> data, RepeatedField<T>& out) {
  const size_t n = data.size() / sizeof(T);
  out.Resize(static_cast<int>(n), T{});
  if (n > 0) std::memcpy(out.mutable_data(), data.data(), n * sizeof(T));
}

}  // namespace

int64_t ContentsSize(const InferTensorContents& contents) {
  int64_t total = 0;
  for (int f = 0; f < static_cast<int>(Field::kNone); ++f) {
    total += FieldSize(contents, static_cast<Field>(f));
  }
  return total;
}

bool HasTypedForm(core::DataType dtype) { return FieldFor(dtype) != Field::kNone; }

Status TypedToTensor(const InferTensorContents& contents, int64_t count, core::Tensor& tensor) {
  const Field field = FieldFor(tensor.dtype);
  if (field == Field::kNone) {
    // An empty FP16/BF16 tensor carries no value, so it needs no raw form either.
    if (count == 0 && ContentsSize(contents) == 0) return absl::OkStatus();
    return Invalid(tensor, absl::StrCat(core::DataTypeName(tensor.dtype),
                                        " data must be sent in raw_input_contents"));
  }
  for (int f = 0; f < static_cast<int>(Field::kNone); ++f) {
    if (static_cast<Field>(f) != field && FieldSize(contents, static_cast<Field>(f)) > 0) {
      return Invalid(tensor, absl::StrCat("datatype ", core::DataTypeName(tensor.dtype), " takes ",
                                          kFieldNames[static_cast<int>(field)], ", but ",
                                          kFieldNames[f], " holds values"));
    }
  }
  if (FieldSize(contents, field) != count) {
    return Invalid(tensor, absl::StrCat(kFieldNames[static_cast<int>(field)], " holds ",
                                        FieldSize(contents, field), " values, but shape ",
                                        core::ShapeToString(tensor.shape), " needs ", count));
  }
  using core::DataType;
  switch (tensor.dtype) {
    case DataType::kBool:
      tensor.data = ViewInPlace(contents.bool_contents());
      break;
    case DataType::kInt8:
      return Narrow<int8_t>(contents.int_contents(), tensor);
    case DataType::kInt16:
      return Narrow<int16_t>(contents.int_contents(), tensor);
    case DataType::kInt32:
      tensor.data = ViewInPlace(contents.int_contents());
      break;
    case DataType::kInt64:
      tensor.data = ViewInPlace(contents.int64_contents());
      break;
    case DataType::kUint8:
      return Narrow<uint8_t>(contents.uint_contents(), tensor);
    case DataType::kUint16:
      return Narrow<uint16_t>(contents.uint_contents(), tensor);
    case DataType::kUint32:
      tensor.data = ViewInPlace(contents.uint_contents());
      break;
    case DataType::kUint64:
      tensor.data = ViewInPlace(contents.uint64_contents());
      break;
    case DataType::kFp32:
      tensor.data = ViewInPlace(contents.fp32_contents());
      break;
    case DataType::kFp64:
      tensor.data = ViewInPlace(contents.fp64_contents());
      break;
    default:
      BytesToTensor(contents, tensor);
      break;
  }
  return absl::OkStatus();
}

// Only the layout of BYTES data is checked here; element counts and byte sizes are checked with
// every other input against the model (core::ValidateRequest), in Triton's words.
Status RawToTensor(const std::string& raw, core::Tensor& tensor) {
  const std::span<const std::byte> data(reinterpret_cast<const std::byte*>(raw.data()), raw.size());
  if (tensor.dtype == core::DataType::kBytes) {
    auto elements = core::CountBytesElements(data);
    if (!elements.ok()) return Invalid(tensor, std::string(elements.status().message()));
  }
  tensor.data = data;
  return absl::OkStatus();
}

Status TensorToTyped(const core::Tensor& tensor, InferTensorContents& contents) {
  if (!HasTypedForm(tensor.dtype)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "output '", tensor.name, "': ", core::DataTypeName(tensor.dtype), " has no typed form"));
  }
  ASSIGN_OR_RETURN(const int64_t count, core::ElementCount(tensor.shape));
  using core::DataType;
  if (tensor.dtype == DataType::kBytes) {
    ASSIGN_OR_RETURN(auto elements, core::SplitBytesElements(tensor.data));
    if (static_cast<int64_t>(elements.size()) != count) {
      return absl::InternalError(absl::StrCat("output '", tensor.name, "' holds ", elements.size(),
                                              " elements, expected ", count));
    }
    for (std::string_view element : elements) contents.add_bytes_contents(std::string(element));
    return absl::OkStatus();
  }
  if (tensor.data.size() != static_cast<uint64_t>(count) * core::ElementSize(tensor.dtype)) {
    return absl::InternalError(absl::StrCat("output '", tensor.name, "' holds ", tensor.data.size(),
                                            " bytes, expected ", count, " elements"));
  }
  const auto data = tensor.data;
  switch (tensor.dtype) {
    case DataType::kBool:
      AppendWidened<bool, uint8_t>(data, *contents.mutable_bool_contents());
      break;
    case DataType::kInt8:
      AppendWidened<int32_t, int8_t>(data, *contents.mutable_int_contents());
      break;
    case DataType::kInt16:
      AppendWidened<int32_t, int16_t>(data, *contents.mutable_int_contents());
      break;
    case DataType::kInt32:
      CopyInto(data, *contents.mutable_int_contents());
      break;
    case DataType::kInt64:
      CopyInto(data, *contents.mutable_int64_contents());
      break;
    case DataType::kUint8:
      AppendWidened<uint32_t, uint8_t>(data, *contents.mutable_uint_contents());
      break;
    case DataType::kUint16:
      AppendWidened<uint32_t, uint16_t>(data, *contents.mutable_uint_contents());
      break;
    case DataType::kUint32:
      CopyInto(data, *contents.mutable_uint_contents());
      break;
    case DataType::kUint64:
      CopyInto(data, *contents.mutable_uint64_contents());
      break;
    case DataType::kFp32:
      CopyInto(data, *contents.mutable_fp32_contents());
      break;
    default:
      CopyInto(data, *contents.mutable_fp64_contents());
      break;
  }
  return absl::OkStatus();
}

void TensorToRaw(const core::Tensor& tensor, std::string& raw) {
  raw.assign(reinterpret_cast<const char*>(tensor.data.data()), tensor.data.size());
}

}  // namespace inferd::frontend::grpc
