#include "backend/registry/backend_registry.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace inferd::backend {

RegisteredBackend::RegisteredBackend(BackendRegistration registration)
    : registration_(std::move(registration)) {}

StatusOr<Backend*> RegisteredBackend::Get() const {
  absl::MutexLock lock(&mu_);
  if (backend_ == nullptr) {
    ASSIGN_OR_RETURN(backend_, registration_.create());
    if (backend_ == nullptr) {
      return absl::InternalError(
          absl::StrCat("backend '", registration_.name, "' created no backend"));
    }
  }
  return backend_.get();
}

void RegisteredBackend::FillIdentity(::inference::ModelConfig& config) const {
  config.set_backend(registration_.name);
  if (config.platform().empty() && !registration_.platforms.empty()) {
    config.set_platform(registration_.platforms.front());
  }
  if (config.default_model_filename().empty()) {
    config.set_default_model_filename(registration_.default_model_filename);
  }
}

Status RegisteredBackend::AutoComplete(const core::ModelSignature& signature,
                                       const AutoCompleteHints& hints,
                                       ::inference::ModelConfig& config) const {
  if (!registration_.auto_complete) return absl::OkStatus();
  return registration_.auto_complete(signature, hints, config);
}

Status RegisteredBackend::CheckConfig(const ::inference::ModelConfig& config) const {
  if (!registration_.check_config) return absl::OkStatus();
  return registration_.check_config(config);
}

Status BackendRegistry::Register(BackendRegistration registration) {
  if (registration.name.empty() || !registration.create) {
    return absl::InvalidArgumentError("a backend registers with a name and a factory");
  }
  absl::MutexLock lock(&mu_);
  if (FindLocked(registration.name) != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("backend '", registration.name, "' is registered twice"));
  }
  for (const auto& platform : registration.platforms) {
    if (const RegisteredBackend* owner = FindPlatformLocked(platform)) {
      return absl::AlreadyExistsError(absl::StrCat("platform '", platform, "' of backend '",
                                                   registration.name, "' is already backend '",
                                                   owner->name(), "'s"));
    }
  }
  backends_.push_back(std::make_unique<RegisteredBackend>(std::move(registration)));
  return absl::OkStatus();
}

StatusOr<const RegisteredBackend*> BackendRegistry::Resolve(
    const ::inference::ModelConfig& config,
    std::span<const std::filesystem::path> version_dirs) const {
  absl::ReaderMutexLock lock(&mu_);
  if (backends_.empty()) return absl::FailedPreconditionError("no backend is registered");
  const RegisteredBackend* by_name = nullptr;
  if (!config.backend().empty()) {
    by_name = FindLocked(config.backend());
    if (by_name == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("backend '", config.backend(),
                                                     "' is not supported; inferd serves ",
                                                     KnownBackendsLocked()));
    }
  }
  if (!config.platform().empty()) {
    const RegisteredBackend* by_platform = FindPlatformLocked(config.platform());
    if (by_platform == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("platform '", config.platform(),
                                                     "' is not supported; inferd serves ",
                                                     KnownBackendsLocked()));
    }
    if (by_name != nullptr && by_name != by_platform) {
      return absl::InvalidArgumentError(absl::StrCat(
          "platform '", config.platform(), "' is backend '", by_platform->name(),
          "', not backend '", config.backend(), "'; set one of them or make them agree"));
    }
    return by_platform;
  }
  if (by_name != nullptr) return by_name;
  // Neither named: as Triton, the backend whose default model file the version folders hold.
  for (const auto& backend : backends_) {
    const std::string& file = backend->registration().default_model_filename;
    if (file.empty()) continue;
    for (const auto& dir : version_dirs) {
      std::error_code error;
      if (std::filesystem::exists(dir / file, error)) return backend.get();
    }
  }
  return backends_.front().get();
}

std::string BackendRegistry::KnownBackends() const {
  absl::ReaderMutexLock lock(&mu_);
  return KnownBackendsLocked();
}

const RegisteredBackend* BackendRegistry::FindLocked(const std::string& name) const {
  for (const auto& backend : backends_) {
    if (backend->name() == name) return backend.get();
  }
  return nullptr;
}

const RegisteredBackend* BackendRegistry::FindPlatformLocked(const std::string& platform) const {
  for (const auto& backend : backends_) {
    const auto& platforms = backend->registration().platforms;
    if (std::find(platforms.begin(), platforms.end(), platform) != platforms.end()) {
      return backend.get();
    }
  }
  return nullptr;
}

std::string BackendRegistry::KnownBackendsLocked() const {
  std::vector<std::string> known;
  for (const auto& backend : backends_) {
    const auto& platforms = backend->registration().platforms;
    known.push_back(platforms.empty() ? absl::StrCat("backend '", backend->name(), "'")
                                      : absl::StrCat("backend '", backend->name(), "' (platform '",
                                                     absl::StrJoin(platforms, "', '"), "')"));
  }
  return absl::StrJoin(known, ", ");
}

}  // namespace inferd::backend
