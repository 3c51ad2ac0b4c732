#include "core/model_errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

constexpr char kUnknownModelPayload[] = "inferd/unknown-model";

std::string Prefixed(std::string_view model, std::string_view what, std::string_view detail) {
  return absl::StrCat("Request for unknown model: '", std::string(model), "' ", std::string(what),
                      detail.empty() ? "" : ": ", std::string(detail));
}

}  // namespace

Status UnknownModelError(std::string_view model) {
  Status status = absl::NotFoundError(Prefixed(model, "is not found", ""));
  status.SetPayload(kUnknownModelPayload, absl::Cord("1"));
  return status;
}

bool IsUnknownModel(const Status& status) {
  return status.code() == absl::StatusCode::kNotFound &&
         status.GetPayload(kUnknownModelPayload).has_value();
}

Status UnknownVersionError(std::string_view model, int64_t version) {
  return absl::NotFoundError(
      Prefixed(model, absl::StrCat("version ", version, " is not found"), ""));
}

Status VersionNotReadyError(absl::StatusCode code, std::string_view model, int64_t version,
                            std::string_view detail) {
  return Status(
      code, Prefixed(model, absl::StrCat("version ", version, " is not at ready state"), detail));
}

Status NoAvailableVersionError(absl::StatusCode code, std::string_view model,
                               std::string_view detail) {
  return Status(code, Prefixed(model, "has no available versions", detail));
}

}  // namespace inferd::core
