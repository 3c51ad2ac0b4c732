// Tensor shapes: a list of dimensions, -1 meaning "any size" in a model's declared shape.
// Pure functions; element counts are overflow-checked because shapes come from clients.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace inferd::core {

using Shape = std::vector<int64_t>;

// Product of the dimensions. InvalidArgument for a negative dimension or when the product
// exceeds `limit` (so a client-chosen shape can never overflow or drive a huge allocation).
StatusOr<int64_t> ElementCount(const Shape& shape, int64_t limit = INT64_MAX);

// True when `actual` fits `declared`: same rank, and every declared dim is -1 or equal.
bool ShapeMatches(const Shape& declared, const Shape& actual);

// "[1,16]"
std::string ShapeToString(const Shape& shape);

}  // namespace inferd::core
