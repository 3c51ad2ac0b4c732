// URL pieces the REST dialects share: percent-decoding of a path segment and the parsing of a
// query string. Pure functions, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace inferd::frontend::http {

// Percent-decoding of one path segment; nullopt for a malformed escape.
std::optional<std::string> UrlDecode(std::string_view text);

// The query of `target` (after '?') as name -> value, '+' read as a space and both parts
// percent-decoded. The first occurrence of a repeated name wins; a name without '=' maps to "".
// nullopt when an escape is malformed.
std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view target);

}  // namespace inferd::frontend::http
