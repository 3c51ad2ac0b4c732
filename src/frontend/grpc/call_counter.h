// Counts every finished gRPC call by method and status code into a metrics::StatusCounters, as
// a server interceptor, so no RPC handler needs to know about metrics. One relaxed atomic
// increment per call. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/support/server_interceptor.h"
#include "metrics/status_counters.h"

namespace inferd::frontend::grpc {

// The `method` label values (GRPCInferenceService's RPCs), the last being "other".
const std::vector<std::string>& GrpcMethods();
// "OK", "UNAVAILABLE", ... for a gRPC status code number.
std::string GrpcCodeName(int code);

std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface> CallCounterFactory(
    metrics::StatusCounters& counters);

}  // namespace inferd::frontend::grpc
