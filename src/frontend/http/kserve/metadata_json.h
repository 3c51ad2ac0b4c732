// JSON bodies of the KServe v2 metadata endpoints (server metadata, model metadata, repository
// index), in Triton's field order and with Triton's omissions. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/inference_service.h"

namespace inferd::frontend::http {

std::string ServerMetadataJson(const core::ServerMetadata& metadata);
std::string ModelMetadataJson(const core::ModelMetadata& metadata);
// Empty version/reason fields are left out, as Triton does.
std::string RepositoryIndexJson(const std::vector<core::RepositoryEntry>& entries);

}  // namespace inferd::frontend::http
