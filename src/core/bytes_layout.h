// The BYTES tensor layout shared by every layer: each element is a 4-byte little-endian length
// followed by that many bytes (KServe's binary layout). Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace inferd::core {

// Number of elements in a BYTES buffer; InvalidArgument when an element is truncated.
StatusOr<int64_t> CountBytesElements(std::span<const std::byte> data);

// Splits a BYTES buffer into views of its elements (the buffer must outlive them).
StatusOr<std::vector<std::string_view>> SplitBytesElements(std::span<const std::byte> data);

// Appends one element in the layout.
void AppendBytesElement(std::string_view element, std::vector<std::byte>& out);

}  // namespace inferd::core
