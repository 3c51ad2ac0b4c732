// RepositoryFiles: preprocess::ModelFiles over the server's model repositories, so front ends
// can read a model's pipeline declaration and label files without knowing the repository
// layout. A model is looked up in the repositories in order (the scanner refuses a model found
// in two). Reads the filesystem on every call (no cache here: preprocess::ModelAssetCache reads
// through it once per model load and keeps the parsed result). Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "preprocess/model_files.h"

namespace inferd::server {

class RepositoryFiles : public preprocess::ModelFiles {
 public:
  explicit RepositoryFiles(std::vector<std::string> roots);

  StatusOr<std::string> Read(std::string_view model, int64_t version,
                             std::string_view file) const override;

 private:
  std::vector<std::filesystem::path> roots_;
};

}  // namespace inferd::server
