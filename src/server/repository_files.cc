#include "server/repository_files.h"

#include <system_error>

#include "absl/strings/str_cat.h"
#include "repository/repository_scanner.h"

namespace inferd::server {
namespace {

// Label and pipeline files are small; anything larger is a mistake, not something to buffer.
constexpr std::uintmax_t kMaxFileSize = 16u << 20;

Status CheckRelative(std::string_view file) {
  const std::filesystem::path path{std::string(file)};
  if (file.empty() || path.is_absolute()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", std::string(file), "' is not a relative path"));
  }
  for (const auto& part : path) {
    if (part == "..") {
      return absl::InvalidArgumentError(
          absl::StrCat("'", std::string(file), "' leaves the model directory"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

RepositoryFiles::RepositoryFiles(std::vector<std::string> roots, bool allow_outside)
    : roots_(roots.begin(), roots.end()), allow_outside_(allow_outside) {}

StatusOr<std::string> RepositoryFiles::Read(std::string_view model, int64_t version,
                                            std::string_view file) const {
  RETURN_IF_ERROR(repository::ValidateModelName(model));
  RETURN_IF_ERROR(CheckRelative(file));
  if (version < 0) return absl::InvalidArgumentError("negative model version");
  for (const auto& root : roots_) {
    std::filesystem::path dir = root / std::string(model);
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    if (version > 0) dir /= std::to_string(version);
    const std::filesystem::path path = dir / std::string(file);
    if (!std::filesystem::is_regular_file(path, ec)) break;  // follows links: checked below
    auto text = repository::ReadRepositoryFile({root, allow_outside_}, path, kMaxFileSize);
    if (!text.ok()) {
      return Status(text.status().code(),
                    absl::StrCat("model '", std::string(model), "': ", text.status().message()));
    }
    return text;
  }
  return absl::NotFoundError(
      absl::StrCat("model '", std::string(model), "' has no file '", std::string(file), "'"));
}

}  // namespace inferd::server
