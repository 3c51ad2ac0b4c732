#include "repository/version_policy.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <set>

namespace inferd::repository {

VersionSelection SelectVersions(const ::inference::ModelVersionPolicy& policy,
                                const std::vector<int64_t>& available) {
  const std::set<int64_t> present(available.begin(), available.end());
  VersionSelection result;
  switch (policy.policy_choice_case()) {
    case ::inference::ModelVersionPolicy::kAll:
      result.versions.assign(present.begin(), present.end());
      break;
    case ::inference::ModelVersionPolicy::kSpecific: {
      const auto& requested = policy.specific().versions();
      const std::set<int64_t> wanted(requested.begin(), requested.end());
      for (int64_t v : wanted) {
        (present.contains(v) ? result.versions : result.missing).push_back(v);
      }
      break;
    }
    case ::inference::ModelVersionPolicy::kLatest:
    case ::inference::ModelVersionPolicy::POLICY_CHOICE_NOT_SET: {
      // Unset = Triton's default policy, latest 1.
      const size_t n = policy.has_latest() ? policy.latest().num_versions() : 1;
      const size_t take = std::min(n, present.size());
      result.versions.assign(std::prev(present.end(), static_cast<std::ptrdiff_t>(take)),
                             present.end());
      break;
    }
  }
  return result;
}

}  // namespace inferd::repository
