// UTF-8 validation for text we put into JSON. JSON text must be UTF-8, and BYTES tensors may
// hold anything, so invalid sequences are replaced rather than emitted raw. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace inferd::frontend::http {

bool IsValidUtf8(std::string_view text);

// Copy of `text` with every invalid byte replaced by U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view text);

}  // namespace inferd::frontend::http
