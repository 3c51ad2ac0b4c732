// ModelFiles: read access to the small files a model keeps beside its weights (the image
// pipeline declaration, label files), without the front ends knowing where the repository is.
// The server implements it over its model repositories (server/repository_files.h); tests use an
// in-memory map. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace inferd::preprocess {

class ModelFiles {
 public:
  virtual ~ModelFiles() = default;
  // The bytes of `file` (a relative path without "..") in the directory of `model`'s `version`,
  // or in the model's own directory when `version` is 0. NotFound when it does not exist;
  // InvalidArgument for a name or path that could leave the repository.
  virtual StatusOr<std::string> Read(std::string_view model, int64_t version,
                                     std::string_view file) const = 0;
};

}  // namespace inferd::preprocess
