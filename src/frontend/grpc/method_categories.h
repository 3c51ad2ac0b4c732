// Every RPC of inference.GRPCInferenceService with its restricted-API category (Triton's
// --grpc-restricted-protocol), in one table: CallbackService asks Refusal() at the top of every
// method, streaming included, before any handler work. A restricted call without the header
// `triton-grpc-protocol-<key>: <value>` is refused with UNAVAILABLE naming the header, as
// Triton answers. Thread-safe (immutable data).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "core/api_restrictions.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace inferd::frontend::grpc {

struct GrpcMethod {
  std::string_view name;  // the RPC's name in the service ("ModelInfer")
  core::ApiCategory category;
};

// The whole table, in the proto's order.
std::span<const GrpcMethod> MethodTable();
std::optional<core::ApiCategory> GrpcMethodCategory(std::string_view method);

// Triton's prefix of the gRPC metadata key that carries a restricted protocol's key.
inline constexpr std::string_view kRestrictedHeaderPrefix = "triton-grpc-protocol-";

// OK when `method` may run for this caller; UNAVAILABLE "This protocol is restricted, expecting
// header '<header>'" otherwise. An RPC missing from the table is refused (INTERNAL), so a new
// RPC cannot run unchecked.
::grpc::Status Refusal(const core::ApiRestrictions& restrictions, std::string_view method,
                       const ::grpc::ServerContextBase& context);

}  // namespace inferd::frontend::grpc
