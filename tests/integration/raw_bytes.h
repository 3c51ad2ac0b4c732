// A tensor's values as raw little-endian bytes (HTTP binary tensors, gRPC raw_input_contents),
// shared by the HTTP and gRPC test utilities.
#pragma once

#include <cstring>
#include <string>
#include <vector>

namespace inferd::testing {

template <typename T>
std::string RawBytes(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!out.empty()) std::memcpy(out.data(), values.data(), out.size());  // data() may be null
  return out;
}

}  // namespace inferd::testing
