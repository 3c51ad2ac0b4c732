// Discovery of models in one or more model repository folders (Triton's layout):
//
//   <root>/<model>/config.pbtxt          optional
//   <root>/<model>/<version>/<file>      one folder per version, named by a positive integer;
//                                        <file> is the backend's (model.onnx for ONNX Runtime)
//
// The scan reads only directory entries; it neither parses configs nor opens model files. Model
// and version folders that resolve outside their repository (repository_paths.h) are refused. A
// problem with one model is recorded in that model's `status` so it never hides the others; only
// an unreadable root fails the whole scan.
//
// Pure functions over the filesystem; thread-safe (the result is a snapshot of the folders).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model_config.pb.h"
#include "repository/repository_paths.h"

namespace inferd::repository {

inline constexpr std::string_view kConfigFileName = "config.pbtxt";
inline constexpr uintmax_t kMaxConfigFileBytes = uintmax_t{16} << 20;

struct ModelDir {
  RepositoryRoot root;  // the repository it was found in: every file of it is read through it
  std::string name;
  std::filesystem::path path;
  std::optional<std::filesystem::path> config_file;   // set when <model>/config.pbtxt exists
  std::map<int64_t, std::filesystem::path> versions;  // version -> its folder
  Status status;  // not OK: this model cannot be served (reason inside); the others are unaffected
};

// Every model found under `roots`, sorted by name. InvalidArgument when a root is missing or is
// not a readable folder. A model name found in two roots is one entry whose status names both.
// `allow_outside`: --allow-repository-symlinks.
StatusOr<std::vector<ModelDir>> ScanRepositories(const std::vector<std::filesystem::path>& roots,
                                                 bool allow_outside = false);

// OK when `name` can be a model name: non-empty, not "." or "..", no '/' or '\\' and no NUL, so a
// name from a client request can never address anything outside the repository.
Status ValidateModelName(std::string_view name);

// A cheap fingerprint of everything under the model's folder (relative paths, sizes, modification
// times, and the config file's text), so a poller can tell "unchanged" without hashing models.
std::string ModelDirStamp(const ModelDir& model);

// <model>/<version>/<default_model_filename>. The caller fills default_model_filename from the
// model's backend (the backend registry) when config.pbtxt sets none; still empty (a backend
// without a model file, such as an ensemble) gives the version folder itself.
std::filesystem::path ModelFilePath(const ModelDir& model, int64_t version,
                                    const ::inference::ModelConfig& config);

}  // namespace inferd::repository
