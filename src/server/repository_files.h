// RepositoryFiles: preprocess::ModelFiles over the server's model repositories, so the model
// manager can read a version's pipeline declaration and label files when it loads the version. A
// model is looked up in the repositories in order (the scanner refuses a model found in two). Reads
// the filesystem on every call (no cache here: each version reads its assets once, at its load, and
// keeps the parsed result). Every read goes through repository::ReadRepositoryFile, so a label or
// pipeline file linked outside the repository is refused (InvalidArgument), not served.
// Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "preprocess/model_files.h"

namespace inferd::server {

class RepositoryFiles : public preprocess::ModelFiles {
 public:
  // `allow_outside`: --allow-repository-symlinks (see repository/repository_paths.h).
  explicit RepositoryFiles(std::vector<std::string> roots, bool allow_outside = false);

  StatusOr<std::string> Read(std::string_view model, int64_t version,
                             std::string_view file) const override;

 private:
  std::vector<std::filesystem::path> roots_;
  bool allow_outside_;
};

}  // namespace inferd::server
