// The one table between inferd's DataType and ONNX Runtime's tensor element types. Pure
// functions; BYTES is ORT's STRING. ORT-only types (complex, float8, int4, ...) have no inferd
// equivalent and map to kInvalid.
#pragma once

#include "core/data_type.h"
#include "onnxruntime_c_api.h"

namespace inferd::backend::ort {

core::DataType FromOrtType(ONNXTensorElementDataType type);
// ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED for kInvalid.
ONNXTensorElementDataType ToOrtType(core::DataType type);

}  // namespace inferd::backend::ort
