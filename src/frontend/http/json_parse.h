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

// The same into `doc`, which the caller made with its own allocator: a request decoder parses a
// small body into a pool over a stack buffer, where a default document would first allocate
// (and then free) a 64 KiB chunk.
Status ParseJsonInto(std::string_view text, int max_depth, rapidjson::Document& doc);

// A document whose values live first in `Bytes` of stack space, then in 64 KiB chunks. Only for a
// document that does not outlive the scope that declares this.
template <size_t Bytes = 4096>
class ScopedJsonDocument {
 public:
  ScopedJsonDocument() : pool_(buffer_, sizeof(buffer_)), doc_(&pool_) {}
  ScopedJsonDocument(const ScopedJsonDocument&) = delete;
  ScopedJsonDocument& operator=(const ScopedJsonDocument&) = delete;
  rapidjson::Document& doc() { return doc_; }

 private:
  alignas(8) char buffer_[Bytes];
  rapidjson::MemoryPoolAllocator<> pool_;
  rapidjson::Document doc_;
};

}  // namespace inferd::frontend::http
