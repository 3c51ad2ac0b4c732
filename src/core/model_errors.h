// Triton's texts and codes for a model lookup that fails. Clients and scripts written for Triton
// match on "Request for unknown model" (Triton's own example clients do), so every lookup in
// every dialect reports these.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace inferd::core {

// "Request for unknown model: 'M' is not found". NotFound, marked so that the KServe HTTP and
// gRPC front ends can answer it as Triton does (400 / INVALID_ARGUMENT) while the TF Serving and
// TorchServe dialects keep their servers' 404.
Status UnknownModelError(std::string_view model);
bool IsUnknownModel(const Status& status);

// "Request for unknown model: 'M' version V is not found" (NotFound).
Status UnknownVersionError(std::string_view model, int64_t version);

// "Request for unknown model: 'M' version V is not at ready state[: detail]" with `code`.
Status VersionNotReadyError(absl::StatusCode code, std::string_view model, int64_t version,
                            std::string_view detail);

// "Request for unknown model: 'M' has no available versions[: detail]" with `code`.
Status NoAvailableVersionError(absl::StatusCode code, std::string_view model,
                               std::string_view detail);

}  // namespace inferd::core
