#include "frontend/http/multipart.h"

#include <cctype>

#include "absl/strings/str_cat.h"

namespace inferd::frontend::http {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The value of parameter `name` in a header value like `form-data; name="file"; filename=..`.
std::string HeaderParameter(std::string_view value, std::string_view name) {
  const std::string lower = Lower(value);
  size_t pos = 0;
  while ((pos = lower.find(';', pos)) != std::string::npos) {
    ++pos;
    std::string_view rest = Trim(std::string_view(value).substr(pos));
    const size_t eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (Lower(Trim(rest.substr(0, eq))) != name) continue;
    std::string_view v = Trim(rest.substr(eq + 1));
    if (!v.empty() && v.front() == '"') {
      v.remove_prefix(1);
      return std::string(v.substr(0, v.find('"')));
    }
    return std::string(Trim(v.substr(0, v.find(';'))));
  }
  return "";
}

// The `name` of a part whose headers are `headers` (CRLF-separated lines).
std::string PartName(std::string_view headers) {
  while (!headers.empty()) {
    const size_t end = headers.find("\r\n");
    const std::string_view line = headers.substr(0, end);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos &&
        Lower(Trim(line.substr(0, colon))) == "content-disposition") {
      return HeaderParameter(line.substr(colon + 1), "name");
    }
    if (end == std::string_view::npos) break;
    headers.remove_prefix(end + 2);
  }
  return "";
}

}  // namespace

StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  if (Lower(Trim(content_type.substr(0, content_type.find(';')))) != "multipart/form-data") {
    return std::string();
  }
  std::string boundary = HeaderParameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) {
    return absl::InvalidArgumentError("multipart/form-data needs a boundary of 1 to 70 characters");
  }
  return boundary;
}

StatusOr<std::string_view> MultipartField(std::string_view body, std::string_view boundary,
                                          std::string_view field) {
  const std::string delimiter = absl::StrCat("--", std::string(boundary));
  size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) {
    return absl::InvalidArgumentError("multipart body: no part delimiter found");
  }
  const std::string next_delimiter = "\r\n" + delimiter;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    const size_t headers_start = body.find("\r\n", pos);
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_start == std::string_view::npos || headers_end == std::string_view::npos) {
      return absl::InvalidArgumentError("multipart body: truncated part headers");
    }
    const size_t content = headers_end + 4;
    const size_t end = body.find(next_delimiter, content);
    if (end == std::string_view::npos) {
      return absl::InvalidArgumentError("multipart body: a part is not terminated");
    }
    if (PartName(body.substr(headers_start + 2, headers_end + 2 - (headers_start + 2))) == field) {
      return body.substr(content, end - content);
    }
    pos = end + 2;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("multipart/form-data upload has no field named '", std::string(field), "'"));
}

}  // namespace inferd::frontend::http
