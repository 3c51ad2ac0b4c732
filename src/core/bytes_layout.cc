#include "core/bytes_layout.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

uint32_t ReadLength(const std::byte* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | static_cast<uint32_t>(u[1]) << 8 |
         static_cast<uint32_t>(u[2]) << 16 | static_cast<uint32_t>(u[3]) << 24;
}

}  // namespace

namespace {

// Walks the elements, calling visit(element) for each; the one place the layout is parsed.
template <typename Visit>
Status ForEachBytesElement(std::span<const std::byte> data, Visit&& visit) {
  size_t pos = 0;
  size_t index = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 4) {
      return absl::InvalidArgumentError(
          absl::StrCat("BYTES tensor data is truncated: element ", index, " has no full length"));
    }
    const uint32_t len = ReadLength(data.data() + pos);
    pos += 4;
    if (data.size() - pos < len) {
      return absl::InvalidArgumentError(absl::StrCat("BYTES tensor data is truncated: element ",
                                                     index, " declares ", len, " bytes but ",
                                                     data.size() - pos, " remain"));
    }
    visit(std::string_view(reinterpret_cast<const char*>(data.data() + pos), len));
    pos += len;
    ++index;
  }
  return absl::OkStatus();
}

}  // namespace

StatusOr<std::vector<std::string_view>> SplitBytesElements(std::span<const std::byte> data) {
  std::vector<std::string_view> elements;
  RETURN_IF_ERROR(ForEachBytesElement(data, [&](std::string_view e) { elements.push_back(e); }));
  return elements;
}

// Counting runs on every BYTES input of every request: it must not allocate.
StatusOr<int64_t> CountBytesElements(std::span<const std::byte> data) {
  int64_t count = 0;
  RETURN_IF_ERROR(ForEachBytesElement(data, [&](std::string_view) { ++count; }));
  return count;
}

void AppendBytesElement(std::string_view element, std::vector<std::byte>& out) {
  const auto len = static_cast<uint32_t>(element.size());
  const std::byte prefix[4] = {std::byte(len & 0xff), std::byte((len >> 8) & 0xff),
                               std::byte((len >> 16) & 0xff), std::byte((len >> 24) & 0xff)};
  out.insert(out.end(), prefix, prefix + 4);
  const auto* bytes = reinterpret_cast<const std::byte*>(element.data());
  out.insert(out.end(), bytes, bytes + element.size());
}

}  // namespace inferd::core
