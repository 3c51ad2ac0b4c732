// The one place where inferd's Status becomes a gRPC status. Pure function, thread-safe.
#pragma once

#include "common/status.h"
#include "grpcpp/support/status.h"

namespace inferd::frontend::grpc {

// Maps a Status to the gRPC status a client sees (code + message). The table is in the
// definition's comment.
::grpc::Status ToGrpcStatus(const Status& status);

}  // namespace inferd::frontend::grpc
