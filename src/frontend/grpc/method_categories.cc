#include "frontend/grpc/method_categories.h"

#include <string>

namespace inferd::frontend::grpc {
namespace {

using core::ApiCategory;

constexpr GrpcMethod kMethods[] = {
    {"ServerLive", ApiCategory::kHealth},
    {"ServerReady", ApiCategory::kHealth},
    {"ModelReady", ApiCategory::kHealth},
    {"ServerMetadata", ApiCategory::kMetadata},
    {"ModelMetadata", ApiCategory::kMetadata},
    {"ModelInfer", ApiCategory::kInference},
    {"ModelStreamInfer", ApiCategory::kInference},
    {"ModelConfig", ApiCategory::kModelConfig},
    {"ModelStatistics", ApiCategory::kStatistics},
    {"RepositoryIndex", ApiCategory::kModelRepository},
    {"RepositoryModelLoad", ApiCategory::kModelRepository},
    {"RepositoryModelUnload", ApiCategory::kModelRepository},
    {"SystemSharedMemoryStatus", ApiCategory::kSharedMemory},
    {"SystemSharedMemoryRegister", ApiCategory::kSharedMemory},
    {"SystemSharedMemoryUnregister", ApiCategory::kSharedMemory},
    {"CudaSharedMemoryStatus", ApiCategory::kSharedMemory},
    {"CudaSharedMemoryRegister", ApiCategory::kSharedMemory},
    {"CudaSharedMemoryUnregister", ApiCategory::kSharedMemory},
};

}  // namespace

std::span<const GrpcMethod> MethodTable() { return kMethods; }

std::optional<core::ApiCategory> GrpcMethodCategory(std::string_view method) {
  for (const GrpcMethod& entry : kMethods) {
    if (entry.name == method) return entry.category;
  }
  return std::nullopt;
}

::grpc::Status Refusal(const core::ApiRestrictions& restrictions, std::string_view method,
                       const ::grpc::ServerContextBase& context) {
  const std::optional<core::ApiCategory> category = GrpcMethodCategory(method);
  if (!category.has_value()) {
    return ::grpc::Status(::grpc::StatusCode::INTERNAL,
                          "RPC " + std::string(method) + " has no restricted-protocol category");
  }
  const auto header = [&](std::string_view name) -> std::optional<std::string_view> {
    const auto& metadata = context.client_metadata();
    const auto it = metadata.find(::grpc::string_ref(name.data(), name.size()));
    if (it == metadata.end()) return std::nullopt;
    return std::string_view(it->second.data(), it->second.size());
  };
  if (restrictions.Check(*category, header).ok()) return ::grpc::Status::OK;
  // Check() only fails for a restricted category, which Find() then names.
  return ::grpc::Status(::grpc::StatusCode::UNAVAILABLE,
                        "This protocol is restricted, expecting header '" +
                            restrictions.Find(*category)->header + "'");
}

}  // namespace inferd::frontend::grpc
