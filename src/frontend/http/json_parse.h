// Parsing untrusted JSON text into a RapidJSON document with a nesting-depth limit. RapidJSON's
// iterative parser keeps the parse itself off the call stack; the depth limit keeps every later
// walk over the document shallow too. Pure function, thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"
#include "rapidjson/document.h"

namespace inferd::frontend::http {

inline constexpr int kMaxJsonDepth = 64;

// InvalidArgument with RapidJSON's message and byte offset when `text` is not JSON, or when
// arrays/objects nest deeper than `max_depth`. NaN/Infinity literals are accepted.
StatusOr<rapidjson::Document> ParseJson(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace inferd::frontend::http
