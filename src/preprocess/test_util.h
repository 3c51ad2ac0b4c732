// Test helpers: reading the committed test images (tests/testdata/images).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace inferd::preprocess::testing {

inline std::string ReadTestImage(const std::string& name) {
  std::ifstream file(std::string(INFERD_SOURCE_DIR) + "/tests/testdata/images/" + name,
                     std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

}  // namespace inferd::preprocess::testing
