// Tensors as plain JSON values, the way TF Serving's REST API writes them (and inferd's
// TorchServe dialect reuses): a tensor is a JSON value nested to its rank (a bare scalar for rank
// 0), its shape is read from the nesting, its element type comes from the model. BYTES elements
// are JSON strings or {"b64": "<base64>"} objects. Pure functions and a read-only writer,
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/tensor.h"
#include "frontend/http/json_tensor.h"
#include "rapidjson/document.h"

namespace inferd::frontend::http {

// The shape the nesting implies: the length of the first array at each level ([] for a scalar).
// Whether every level is rectangular is checked when the tensor is decoded.
core::Shape JsonValueShape(const rapidjson::Value& value);

// True for {"b64": "..."}: one binary BYTES element, never an object of named tensors.
bool IsB64Object(const rapidjson::Value& value);

// Decodes `value` as a tensor named `name` of element type `dtype`. For BYTES, b64 objects are
// decoded (in place in `value`, hence non-const). `max_elements` bounds the element count.
// InvalidArgument for ragged nesting, elements of the wrong type, bad base64.
StatusOr<core::Tensor> DecodeJsonValueTensor(rapidjson::Value& value,
                                             rapidjson::Document::AllocatorType& allocator,
                                             std::string name, core::DataType dtype,
                                             int64_t max_elements);

// Writes a tensor, or one row of it, as a nested JSON value. BYTES elements are strings, or
// {"b64": ...} objects when the tensor's name ends in "_bytes" (TF Serving's rule) or when the
// element is not valid UTF-8 (so no byte is lost). The tensor must outlive the writer.
class JsonValueWriter {
 public:
  // InvalidArgument/Internal when the tensor's bytes do not match its shape and type.
  static StatusOr<JsonValueWriter> Create(const core::Tensor& tensor);

  // The whole tensor, nested to its shape.
  void WriteAll(JsonWriter& writer) const;
  // Row `row` along the first dimension (shape[1:]); requires rank >= 1 and row < shape[0].
  void WriteRow(int64_t row, JsonWriter& writer) const;

 private:
  explicit JsonValueWriter(const core::Tensor& tensor) : tensor_(&tensor) {}
  void WriteNested(size_t dim, int64_t& index, JsonWriter& writer) const;
  void WriteElement(int64_t index, JsonWriter& writer) const;
  void WriteBytes(std::string_view element, JsonWriter& writer) const;

  const core::Tensor* tensor_;
  std::vector<std::string_view> bytes_;  // BYTES elements, views into the tensor
  bool b64_ = false;
};

}  // namespace inferd::frontend::http
