// multipart/form-data uploads (TorchServe and /predict image bodies). The input is the
// Content-Type header value, a newline, then the body; the target looks up the field names the
// server looks up.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "frontend/http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const auto boundary = inferd::frontend::http::MultipartBoundary(input.substr(0, newline));
  if (!boundary.ok() || boundary->empty()) return 0;
  const std::string_view body = input.substr(newline + 1);
  for (const std::string_view field : {"data", "file", "image"}) {
    const auto part = inferd::frontend::http::MultipartField(body, *boundary, field);
    // The part must be a view into the body.
    if (part.ok() && !part->empty() &&
        (part->data() < body.data() || part->data() + part->size() > body.data() + body.size())) {
      __builtin_trap();
    }
  }
  return 0;
}
