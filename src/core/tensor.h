// A named tensor: element type, shape and a view of its bytes, plus an optional owner that keeps
// those bytes alive. Front ends point `data` into the request body (no copy) and leave `owner`
// empty; backends return outputs whose `owner` holds the runtime's buffer, and a batch's outputs
// share one owner while each request's tensor views its own slice.
//
// Data layout: fixed-size types are dense, row-major, little-endian. BYTES tensors hold each
// element as a 4-byte little-endian length followed by its bytes (the KServe binary layout), so
// a binary request's BYTES input is used in place too.
//
// A Tensor is a value type; copying it copies the view and shares the owner. Not thread-safe to
// mutate; safe to read from several threads.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/data_type.h"
#include "core/shape.h"

namespace inferd::core {

struct Tensor {
  std::string name;
  DataType dtype = DataType::kInvalid;
  Shape shape;
  std::span<const std::byte> data;
  std::shared_ptr<const void> owner;
};

// A tensor whose bytes are a fresh owned vector of `bytes` bytes (zero-filled). `data` views it.
// Returns the tensor and a writable span over the same bytes for the caller to fill.
struct OwnedTensor {
  Tensor tensor;
  std::span<std::byte> writable;
};
OwnedTensor MakeOwnedTensor(std::string name, DataType dtype, Shape shape, size_t bytes);

}  // namespace inferd::core
