// Encodes the facade's metadata, repository index and statistics value types as the gRPC
// protocol's messages (Triton's shapes). Pure functions, thread-safe.
#pragma once

#include <vector>

#include "core/inference_service.h"
#include "core/model_statistics.h"
#include "grpc_service.pb.h"

namespace inferd::frontend::grpc {

void EncodeServerMetadata(const core::ServerMetadata& metadata,
                          ::inference::ServerMetadataResponse& out);
void EncodeModelMetadata(const core::ModelMetadata& metadata,
                         ::inference::ModelMetadataResponse& out);
void EncodeRepositoryIndex(const std::vector<core::RepositoryEntry>& entries,
                           ::inference::RepositoryIndexResponse& out);
void EncodeModelStatistics(const std::vector<core::ModelStatistics>& stats,
                           ::inference::ModelStatisticsResponse& out);

}  // namespace inferd::frontend::grpc
