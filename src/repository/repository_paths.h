// The one gate every file and folder under a model repository is opened through. A repository is
// often a mounted volume several people write to; a symbolic link in it (a labels.txt, a
// config.pbtxt, a model file, a version folder) must not make the server read, load or serve
// a file from elsewhere on the host. So a path is resolved with every link followed and accepted
// only when its real location lies inside the real repository root. Links that stay inside the
// repository keep working; links leaving it are refused unless the operator opts in
// (--allow-repository-symlinks).
//
// Refusals name the path relative to the repository, never where the link points.
// Pure functions over the filesystem; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/status.h"

namespace inferd::repository {

struct RepositoryRoot {
  std::filesystem::path path;  // as given on the command line
  bool allow_outside = false;  // --allow-repository-symlinks
};

// OK when `path` (under root.path, existing or not) resolves inside the real root, or links
// outside are allowed. InvalidArgument otherwise, and when the root cannot be resolved.
Status CheckInsideRepository(const RepositoryRoot& root, const std::filesystem::path& path);

// The whole of the regular file `path` after CheckInsideRepository. NotFound when it does not
// exist; InvalidArgument when it is not a regular file, leaves the repository or is larger than
// `max_bytes`.
StatusOr<std::string> ReadRepositoryFile(const RepositoryRoot& root,
                                         const std::filesystem::path& path, uintmax_t max_bytes);

}  // namespace inferd::repository
