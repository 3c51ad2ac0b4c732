#include "repository/repository_paths.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace inferd::repository {
namespace {

namespace fs = std::filesystem;

bool IsWithin(const fs::path& root, const fs::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (r->empty() && std::next(r) == root.end()) break;  // a trailing separator
    if (p == path.end() || *r != *p) return false;
  }
  return true;
}

std::string Shown(const RepositoryRoot& root, const fs::path& path) {
  const fs::path relative = path.lexically_relative(root.path);
  return relative.empty() ? path.filename().string() : relative.string();
}

}  // namespace

Status CheckInsideRepository(const RepositoryRoot& root, const fs::path& path) {
  if (root.allow_outside) return absl::OkStatus();
  std::error_code ec;
  const fs::path real_root = fs::canonical(root.path, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("model repository '", root.path.string(), "' cannot be resolved"));
  }
  const fs::path real = fs::weakly_canonical(path, ec);
  if (ec || !IsWithin(real_root, real)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", Shown(root, path),
        "' resolves outside the model repository (a symbolic link leaving it); such links are "
        "refused unless the server runs with --allow-repository-symlinks"));
  }
  return absl::OkStatus();
}

StatusOr<std::string> ReadRepositoryFile(const RepositoryRoot& root, const fs::path& path,
                                         uintmax_t max_bytes) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat("'", Shown(root, path), "': no such file"));
  }
  RETURN_IF_ERROR(CheckInsideRepository(root, path));
  if (!fs::is_regular_file(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat("'", Shown(root, path), "' is not a file"));
  }
  const uintmax_t size = fs::file_size(path, ec);
  if (ec || size > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", Shown(root, path), "' is unreadable or larger than ", max_bytes, " bytes"));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(std::istreambuf_iterator<char>(in), {});
  if (in.bad() || !in.is_open()) {
    return absl::InvalidArgumentError(absl::StrCat("'", Shown(root, path), "' cannot be read"));
  }
  return text;
}

}  // namespace inferd::repository
