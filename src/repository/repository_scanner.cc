#include "repository/repository_scanner.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace inferd::repository {
namespace {

namespace fs = std::filesystem;

// A version folder name: digits only, no leading zero, > 0. Triton skips names that are not
// integers and names with leading zeros ("01"); it accepts "0", but inferd reserves version 0 for
// "the highest ready version" in requests, so a version 0 could never be addressed: skipped too.
std::optional<int64_t> ParseVersion(std::string_view name) {
  if (name.empty() || name.front() == '0') return std::nullopt;
  if (!std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t version = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
  if (ec != std::errc() || end != name.data() + name.size()) return std::nullopt;  // overflow
  return version;
}

bool IsHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name.front() == '.';
}

ModelDir ScanModel(const RepositoryRoot& root, const fs::path& model_path) {
  ModelDir model;
  model.root = root;
  model.name = model_path.filename().string();
  model.path = model_path;
  model.status = ValidateModelName(model.name);
  if (model.status.ok()) model.status = CheckInsideRepository(root, model_path);
  if (!model.status.ok()) return model;

  std::error_code ec;
  const fs::path config = model_path / kConfigFileName;
  if (fs::is_regular_file(config, ec)) model.config_file = config;

  fs::directory_iterator it(model_path, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& entry = it->path();
    if (IsHidden(entry) || !it->is_directory(ec)) continue;
    if (auto version = ParseVersion(entry.filename().string())) {
      if (Status inside = CheckInsideRepository(root, entry); !inside.ok()) {
        model.status = absl::InvalidArgumentError(
            absl::StrCat("model '", model.name, "': ", inside.message()));
        return model;
      }
      model.versions.emplace(*version, entry);
    }
  }
  if (ec) {
    model.status = absl::InvalidArgumentError(absl::StrCat(
        "model '", model.name, "': cannot read ", model_path.string(), ": ", ec.message()));
  }
  return model;
}

// Appends the models of one root to `models` (keyed by name), marking names seen twice.
Status ScanRoot(const RepositoryRoot& repository, std::map<std::string, ModelDir>* models) {
  const fs::path& root = repository.path;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return absl::InvalidArgumentError(
        absl::StrCat("model repository '", root.string(), "' is not a readable folder"));
  }
  fs::directory_iterator it(root, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    if (IsHidden(it->path()) || !it->is_directory(entry_ec)) continue;
    ModelDir model = ScanModel(repository, it->path());
    auto [existing, inserted] = models->try_emplace(model.name, model);
    if (!inserted) {
      // Which copy should win is ambiguous; serving neither makes the clash impossible to miss.
      existing->second.status = absl::InvalidArgumentError(
          absl::StrCat("model '", model.name, "' appears in more than one model repository: ",
                       existing->second.path.string(), " and ", model.path.string()));
    }
  }
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("model repository '", root.string(), "' cannot be read: ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

StatusOr<std::vector<ModelDir>> ScanRepositories(const std::vector<fs::path>& roots,
                                                 bool allow_outside) {
  std::map<std::string, ModelDir> by_name;
  for (const fs::path& root : roots) {
    RETURN_IF_ERROR(ScanRoot({root, allow_outside}, &by_name));
  }
  std::vector<ModelDir> models;
  models.reserve(by_name.size());
  for (auto& [name, model] : by_name) models.push_back(std::move(model));
  return models;
}

Status ValidateModelName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("model name is empty");
  if (name == "." || name == ".." ||
      name.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid model name '", std::string(name),
                     "': a model name cannot be '.' or '..' or contain '/'"));
  }
  return absl::OkStatus();
}

std::string ModelDirStamp(const ModelDir& model) {
  std::vector<std::string> entries;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(model.path, ec), end; !ec && it != end;
       it.increment(ec)) {
    const auto& entry = *it;
    std::error_code stat_ec;
    const auto size = entry.is_regular_file(stat_ec) ? entry.file_size(stat_ec) : 0;
    const auto mtime = entry.last_write_time(stat_ec).time_since_epoch().count();
    entries.push_back(
        absl::StrCat(fs::relative(entry.path(), model.path).string(), "|", size, "|", mtime));
  }
  std::sort(entries.begin(), entries.end());
  std::string stamp = absl::StrJoin(entries, "\n");
  if (model.config_file) {
    auto config = ReadRepositoryFile(model.root, *model.config_file, kMaxConfigFileBytes);
    stamp.append("\n").append(config.ok() ? *config : std::string(config.status().message()));
  }
  return stamp;
}

fs::path ModelFilePath(const ModelDir& model, int64_t version,
                       const ::inference::ModelConfig& config) {
  const auto it = model.versions.find(version);
  const fs::path version_dir =
      it != model.versions.end() ? it->second : model.path / std::to_string(version);
  const std::string& file = config.default_model_filename();
  return file.empty() ? version_dir : version_dir / file;
}

}  // namespace inferd::repository
