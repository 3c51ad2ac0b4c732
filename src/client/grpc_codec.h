// Client-side conversions between the library's types and the KServe v2 gRPC messages
// (proto/grpc_service.proto). Pure functions, thread-safe.
#pragma once

#include <grpcpp/support/status.h>

#include <vector>

#include "client/client_options.h"
#include "client/infer_types.h"
#include "common/status.h"
#include "grpc_service.pb.h"

namespace inferd::client {

// Inputs always travel as raw_input_contents (so outputs come back raw too).
StatusOr<::inference::ModelInferRequest> EncodeGrpcInfer(
    const InferOptions& options, const std::vector<InferInput>& inputs,
    const std::vector<InferRequestedOutput>& outputs);
// Consumes `response` (raw output bytes are moved, not copied).
StatusOr<InferResult> DecodeGrpcInfer(::inference::ModelInferResponse& response);

Status StatusFromGrpc(const ::grpc::Status& status);

ModelMetadata FromProto(const ::inference::ModelMetadataResponse& response);
StatusOr<ModelConfig> FromProto(const ::inference::ModelConfigResponse& response);
std::vector<RepositoryModel> FromProto(const ::inference::RepositoryIndexResponse& response);
std::vector<ModelStatistics> FromProto(const ::inference::ModelStatisticsResponse& response);

}  // namespace inferd::client
