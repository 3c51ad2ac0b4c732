// Tensor data <-> KServe v2 JSON "data" arrays, for every datatype. Decoding validates what the
// protocol requires (element types, integer ranges, rectangular nesting that matches the shape,
// element count); encoding writes a flat row-major array. Pure functions, thread-safe.
//
// FP16/BF16 travel as JSON numbers (rounded to nearest even). BYTES elements are JSON strings;
// in a tensor they use inferd's layout (4-byte little-endian length + bytes per element).
// Non-finite floating-point elements are the strings "NaN", "Infinity", "-Infinity" both ways
// (never bare NaN/Infinity tokens, which are not JSON); a finite number the element type cannot
// hold (FP32 1e39) is InvalidArgument, never a silent Infinity. Every JSON dialect (KServe v2,
// TF Serving, TorchServe) reads and writes tensor elements through these functions.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "core/tensor.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Decodes `data` (flat, or nested to exactly the shape's rank) into a freshly owned tensor.
// `max_elements` bounds the element count so a client-chosen shape cannot drive an allocation.
StatusOr<core::Tensor> DecodeJsonTensor(const rapidjson::Value& data, std::string name,
                                        core::DataType dtype, core::Shape shape,
                                        int64_t max_elements);

// Writes the tensor's elements as one flat JSON array. InvalidArgument/Internal when the bytes
// do not match the shape (a malformed BYTES buffer, a size mismatch).
Status WriteJsonTensorData(const core::Tensor& tensor, JsonWriter& writer);

// One floating-point element as the writers above print it: shortest round-trip text, and the
// strings "NaN"/"Infinity"/"-Infinity" for non-finite values.
void WriteJsonFloat(float value, JsonWriter& writer);
void WriteJsonFloat(double value, JsonWriter& writer);

}  // namespace inferd::frontend::http
