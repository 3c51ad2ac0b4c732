// Which versions of a model to serve, given its version policy and the version folders present.
//
// Mirrors Triton's model repository manager: `latest { num_versions: N }` takes the N highest,
// `all` takes every one, `specific` takes the listed versions that exist and reports the others
// as missing (Triton logs "version V is specified for model 'M', but the version directory is not
// present" and loads the rest). An unset policy means Triton's default, latest 1.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "model_config.pb.h"

namespace inferd::repository {

struct VersionSelection {
  std::vector<int64_t> versions;  // ascending, no duplicates
  std::vector<int64_t> missing;   // requested by a `specific` policy but absent; ascending
};

VersionSelection SelectVersions(const ::inference::ModelVersionPolicy& policy,
                                const std::vector<int64_t>& available);

}  // namespace inferd::repository
