// The shared-memory extension's RPCs of CallbackService: system shared memory over the
// registry (core/shared_memory.h); CUDA shared memory answers "not supported" (its status is an
// empty list and unregistering every region has nothing to do).
#include <string>
#include <utility>

#include "frontend/grpc/callback_service.h"
#include "frontend/grpc/grpc_status.h"
#include "frontend/grpc/method_categories.h"

namespace inferd::frontend::grpc {
namespace {

constexpr char kCudaShmUnsupported[] =
    "CUDA shared memory is not supported on this server (it has no GPU support)";

::grpc::ServerUnaryReactor* FinishShm(::grpc::CallbackServerContext* context,
                                      ::grpc::Status status) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(std::move(status));
  return reactor;
}

::grpc::Status ShmStatus(const Status& status) { return ToGrpcStatus(status); }

::grpc::Status CudaShmUnsupported() {
  return ::grpc::Status(::grpc::StatusCode::INVALID_ARGUMENT, kCudaShmUnsupported);
}

Status NoRegistry() {
  return absl::FailedPreconditionError("shared memory is not enabled on this server");
}

}  // namespace

::grpc::ServerUnaryReactor* CallbackService::SystemSharedMemoryStatus(
    Context* context, const ::inference::SystemSharedMemoryStatusRequest* request,
    ::inference::SystemSharedMemoryStatusResponse* response) {
  if (auto refused = Refusal(restrictions_, "SystemSharedMemoryStatus", *context); !refused.ok()) {
    return FinishShm(context, std::move(refused));
  }
  if (shared_memory_ == nullptr) return FinishShm(context, ShmStatus(NoRegistry()));
  auto regions = shared_memory_->List(request->name());
  if (!regions.ok()) return FinishShm(context, ShmStatus(regions.status()));
  for (const core::SharedMemoryRegionStatus& region : *regions) {
    auto& out = (*response->mutable_regions())[region.name];
    out.set_name(region.name);
    out.set_key(region.key);
    out.set_offset(region.offset);
    out.set_byte_size(region.byte_size);
  }
  return FinishShm(context, ::grpc::Status::OK);
}

::grpc::ServerUnaryReactor* CallbackService::SystemSharedMemoryRegister(
    Context* context, const ::inference::SystemSharedMemoryRegisterRequest* request,
    ::inference::SystemSharedMemoryRegisterResponse*) {
  if (auto refused = Refusal(restrictions_, "SystemSharedMemoryRegister", *context);
      !refused.ok()) {
    return FinishShm(context, std::move(refused));
  }
  if (shared_memory_ == nullptr) return FinishShm(context, ShmStatus(NoRegistry()));
  return FinishShm(context,
                   ShmStatus(shared_memory_->Register(request->name(), request->key(),
                                                      request->offset(), request->byte_size())));
}

::grpc::ServerUnaryReactor* CallbackService::SystemSharedMemoryUnregister(
    Context* context, const ::inference::SystemSharedMemoryUnregisterRequest* request,
    ::inference::SystemSharedMemoryUnregisterResponse*) {
  if (auto refused = Refusal(restrictions_, "SystemSharedMemoryUnregister", *context);
      !refused.ok()) {
    return FinishShm(context, std::move(refused));
  }
  if (shared_memory_ == nullptr) return FinishShm(context, ShmStatus(NoRegistry()));
  if (request->name().empty()) {
    shared_memory_->UnregisterAll();
    return FinishShm(context, ::grpc::Status::OK);
  }
  return FinishShm(context, ShmStatus(shared_memory_->Unregister(request->name())));
}

::grpc::ServerUnaryReactor* CallbackService::CudaSharedMemoryStatus(
    Context* context, const ::inference::CudaSharedMemoryStatusRequest* request,
    ::inference::CudaSharedMemoryStatusResponse*) {
  if (auto refused = Refusal(restrictions_, "CudaSharedMemoryStatus", *context); !refused.ok()) {
    return FinishShm(context, std::move(refused));
  }
  if (!request->name().empty()) return FinishShm(context, CudaShmUnsupported());
  return FinishShm(context, ::grpc::Status::OK);
}

::grpc::ServerUnaryReactor* CallbackService::CudaSharedMemoryRegister(
    Context* context, const ::inference::CudaSharedMemoryRegisterRequest*,
    ::inference::CudaSharedMemoryRegisterResponse*) {
  if (auto refused = Refusal(restrictions_, "CudaSharedMemoryRegister", *context); !refused.ok()) {
    return FinishShm(context, std::move(refused));
  }
  return FinishShm(context, CudaShmUnsupported());
}

::grpc::ServerUnaryReactor* CallbackService::CudaSharedMemoryUnregister(
    Context* context, const ::inference::CudaSharedMemoryUnregisterRequest* request,
    ::inference::CudaSharedMemoryUnregisterResponse*) {
  if (auto refused = Refusal(restrictions_, "CudaSharedMemoryUnregister", *context);
      !refused.ok()) {
    return FinishShm(context, std::move(refused));
  }
  if (!request->name().empty()) return FinishShm(context, CudaShmUnsupported());
  return FinishShm(context, ::grpc::Status::OK);
}

}  // namespace inferd::frontend::grpc
