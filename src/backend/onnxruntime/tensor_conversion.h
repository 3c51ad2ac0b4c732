// Conversion between inferd tensors and ORT values, at the Instance::Execute boundary.
//
// Inputs: fixed-size tensors are wrapped in place (no copy) unless the caller's pointer is not
// aligned to the element size (binary HTTP bodies put tensors at any offset), in which case they
// are copied into an aligned buffer held by InputValues. BYTES inputs are always converted to an
// ORT string tensor. Every input is checked against its shape: byte size for fixed types, the
// length-prefixed layout and element count for BYTES (InvalidArgument otherwise).
//
// Outputs: fixed-size outputs are returned as views of the Ort::Value's own buffer, with the
// value kept alive by Tensor::owner; string outputs are re-encoded in the BYTES layout.
//
// Stateless functions; an InputValues belongs to the one Execute call that fills it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/tensor.h"
#include "onnxruntime_cxx_api.h"

namespace inferd::backend::ort {

struct InputValues {
  std::vector<Ort::Value> values;
  // Aligned copies some of `values` point into; each inner buffer keeps its address when moved.
  std::vector<std::vector<std::byte>> copies;
};

// Validates `tensor` and appends its Ort::Value (viewing `tensor.data` when possible, which must
// then outlive `out`).
Status AppendInputValue(const core::Tensor& tensor, const Ort::MemoryInfo& cpu, InputValues& out);

// Wraps an ORT output as a core::Tensor named `name`.
StatusOr<core::Tensor> ToCoreTensor(std::string name, Ort::Value value);

}  // namespace inferd::backend::ort
