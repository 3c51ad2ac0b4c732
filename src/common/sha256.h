// SHA-256 digests as lowercase hex, for artifact identity (the model file and effective config a
// version was loaded from). Pure functions over OpenSSL's EVP interface; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace inferd {

std::string Sha256Hex(std::string_view data);
// Streams the file (models can be GBs); NotFound / Internal naming the path on failure.
StatusOr<std::string> Sha256File(const std::filesystem::path& path);

}  // namespace inferd
