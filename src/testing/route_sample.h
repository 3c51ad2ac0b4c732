// A concrete path for a route pattern, every parameter filled with a plausible value: what the
// tests that walk the route tables request.
#pragma once

#include <string>
#include <string_view>

namespace inferd::frontend::http {

inline std::string Sample(std::string_view pattern) {
  std::string path;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      path += pattern[i];
      continue;
    }
    const size_t close = pattern.find('}', i);
    const std::string_view name = pattern.substr(i + 1, close - i - 1);
    path += name == "version" ? "1" : name == "label" ? "stable" : "echo";
    i = close;
  }
  return path;
}

}  // namespace inferd::frontend::http
