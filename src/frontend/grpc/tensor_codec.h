// Conversions between one gRPC tensor's data (typed InferTensorContents, or one raw bytes entry
// of raw_input_contents / raw_output_contents) and core::Tensor. Pure functions, thread-safe.
//
// Lifetime: decoding never copies when it need not. A raw entry, and a typed field whose wire
// element type is the tensor's element type (BOOL, INT32, INT64, UINT32, UINT64, FP32, FP64),
// is viewed in place: the caller keeps the message alive (core::InferenceRequest::body). Types
// the protocol widens (INT8/16 in int_contents, UINT8/16 in uint_contents) and BYTES are
// converted into a buffer the tensor owns.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "core/tensor.h"
#include "grpc_service.pb.h"

namespace inferd::frontend::grpc {

// Total number of values in every field of `contents` (to detect typed data on an input).
int64_t ContentsSize(const ::inference::InferTensorContents& contents);

// Fills `tensor.data` (name, dtype and shape already set; `count` = its element count) from
// typed contents. InvalidArgument when the datatype cannot travel typed (FP16, BF16; an empty
// tensor of those is accepted, it holds no value), when a
// field other than the datatype's holds values, when the value count differs from the shape,
// or when a value does not fit the datatype.
Status TypedToTensor(const ::inference::InferTensorContents& contents, int64_t count,
                     core::Tensor& tensor);

// Points `tensor.data` at `raw` (BYTES: after checking the length-prefixed layout). The size
// against the shape is checked with the model's other checks, in Triton's words
// (core::ValidateRequest).
Status RawToTensor(const std::string& raw, core::Tensor& tensor);

// True when the datatype has a typed representation (every type but FP16 and BF16).
bool HasTypedForm(core::DataType dtype);

// Writes the tensor's values into the datatype's field of `contents`. Internal when the data
// does not match the shape; InvalidArgument for FP16/BF16 (raw only).
Status TensorToTyped(const core::Tensor& tensor, ::inference::InferTensorContents& contents);

// Sets `raw` to the tensor's bytes (the raw layout is the core layout).
void TensorToRaw(const core::Tensor& tensor, std::string& raw);

}  // namespace inferd::frontend::grpc
