// inference.GRPCInferenceService on gRPC's callback API, implemented over the one facade
// (core::InferenceService). Metadata RPCs answer inline on the gRPC thread (they never wait on
// inference); ModelInfer and ModelStreamInfer use the raw (ByteBuffer) forms so that decoded
// tensors can view the request message in place (see infer_reactors.h).
//
// Thread-safe; borrows the facade, which must outlive the gRPC server this is registered with.
#pragma once

#include <utility>

#include "core/api_restrictions.h"
#include "core/inference_service.h"
#include "core/shared_memory.h"
#include "frontend/grpc/infer_codec.h"
#include "frontend/grpc/infer_reactors.h"
#include "grpc_service.grpc.pb.h"

namespace inferd::frontend::grpc {

// Every RPC on the callback API; the two inference RPCs in their raw (ByteBuffer) form.
using Rpcs = ::inference::GRPCInferenceService;
using ShmCallbackBase = Rpcs::WithCallbackMethod_SystemSharedMemoryStatus<
    Rpcs::WithCallbackMethod_SystemSharedMemoryRegister<
        Rpcs::WithCallbackMethod_SystemSharedMemoryUnregister<
            Rpcs::WithCallbackMethod_CudaSharedMemoryStatus<
                Rpcs::WithCallbackMethod_CudaSharedMemoryRegister<
                    Rpcs::WithCallbackMethod_CudaSharedMemoryUnregister<Rpcs::Service>>>>>>;
using CallbackServiceBase = Rpcs::WithCallbackMethod_ServerLive<
    Rpcs::WithCallbackMethod_ServerReady<Rpcs::WithCallbackMethod_ModelReady<
        Rpcs::WithCallbackMethod_ServerMetadata<Rpcs::WithCallbackMethod_ModelMetadata<
            Rpcs::WithRawCallbackMethod_ModelInfer<Rpcs::WithRawCallbackMethod_ModelStreamInfer<
                Rpcs::WithCallbackMethod_ModelConfig<Rpcs::WithCallbackMethod_ModelStatistics<
                    Rpcs::WithCallbackMethod_RepositoryIndex<
                        Rpcs::WithCallbackMethod_RepositoryModelLoad<
                            Rpcs::WithCallbackMethod_RepositoryModelUnload<
                                ShmCallbackBase>>>>>>>>>>>>;

class CallbackService final : public CallbackServiceBase {
 public:
  // `restrictions`: --grpc-restricted-protocol (method_categories.h), checked first in every RPC.
  // `infer_compression_level` (a grpc_compression_level) applies to the inference responses.
  // `shared_memory` (may be null: extension off) holds the shared-memory regions.
  CallbackService(core::InferenceService& service, DecodeLimits limits, StreamLimits stream = {},
                  core::ApiRestrictions restrictions = {}, int infer_compression_level = 0,
                  core::SharedMemoryRegistry* shared_memory = nullptr)
      : service_(service),
        limits_(limits),
        infer_{service, limits, stream, shared_memory},
        restrictions_(std::move(restrictions)),
        infer_compression_level_(infer_compression_level),
        shared_memory_(shared_memory) {}

  using Context = ::grpc::CallbackServerContext;
  ::grpc::ServerUnaryReactor* ServerLive(Context* context, const ::inference::ServerLiveRequest*,
                                         ::inference::ServerLiveResponse* response) override;
  ::grpc::ServerUnaryReactor* ServerReady(Context* context, const ::inference::ServerReadyRequest*,
                                          ::inference::ServerReadyResponse* response) override;
  ::grpc::ServerUnaryReactor* ModelReady(Context* context,
                                         const ::inference::ModelReadyRequest* request,
                                         ::inference::ModelReadyResponse* response) override;
  ::grpc::ServerUnaryReactor* ServerMetadata(
      Context* context, const ::inference::ServerMetadataRequest*,
      ::inference::ServerMetadataResponse* response) override;
  ::grpc::ServerUnaryReactor* ModelMetadata(Context* context,
                                            const ::inference::ModelMetadataRequest* request,
                                            ::inference::ModelMetadataResponse* response) override;
  ::grpc::ServerUnaryReactor* ModelConfig(Context* context,
                                          const ::inference::ModelConfigRequest* request,
                                          ::inference::ModelConfigResponse* response) override;
  ::grpc::ServerUnaryReactor* ModelStatistics(
      Context* context, const ::inference::ModelStatisticsRequest* request,
      ::inference::ModelStatisticsResponse* response) override;
  ::grpc::ServerUnaryReactor* RepositoryIndex(
      Context* context, const ::inference::RepositoryIndexRequest* request,
      ::inference::RepositoryIndexResponse* response) override;
  ::grpc::ServerUnaryReactor* RepositoryModelLoad(
      Context* context, const ::inference::RepositoryModelLoadRequest* request,
      ::inference::RepositoryModelLoadResponse* response) override;
  ::grpc::ServerUnaryReactor* RepositoryModelUnload(
      Context* context, const ::inference::RepositoryModelUnloadRequest* request,
      ::inference::RepositoryModelUnloadResponse* response) override;

  // Shared-memory extension (shared_memory_rpcs.cc).
  ::grpc::ServerUnaryReactor* SystemSharedMemoryStatus(
      Context* context, const ::inference::SystemSharedMemoryStatusRequest* request,
      ::inference::SystemSharedMemoryStatusResponse* response) override;
  ::grpc::ServerUnaryReactor* SystemSharedMemoryRegister(
      Context* context, const ::inference::SystemSharedMemoryRegisterRequest* request,
      ::inference::SystemSharedMemoryRegisterResponse* response) override;
  ::grpc::ServerUnaryReactor* SystemSharedMemoryUnregister(
      Context* context, const ::inference::SystemSharedMemoryUnregisterRequest* request,
      ::inference::SystemSharedMemoryUnregisterResponse* response) override;
  ::grpc::ServerUnaryReactor* CudaSharedMemoryStatus(
      Context* context, const ::inference::CudaSharedMemoryStatusRequest* request,
      ::inference::CudaSharedMemoryStatusResponse* response) override;
  ::grpc::ServerUnaryReactor* CudaSharedMemoryRegister(
      Context* context, const ::inference::CudaSharedMemoryRegisterRequest* request,
      ::inference::CudaSharedMemoryRegisterResponse* response) override;
  ::grpc::ServerUnaryReactor* CudaSharedMemoryUnregister(
      Context* context, const ::inference::CudaSharedMemoryUnregisterRequest* request,
      ::inference::CudaSharedMemoryUnregisterResponse* response) override;

  ::grpc::ServerUnaryReactor* ModelInfer(Context* context, const ::grpc::ByteBuffer* request,
                                         ::grpc::ByteBuffer* response) override;
  ::grpc::ServerBidiReactor<::grpc::ByteBuffer, ::grpc::ByteBuffer>* ModelStreamInfer(
      Context* context) override;

 private:
  void SetResponseCompression(Context* context) const;

  core::InferenceService& service_;
  const DecodeLimits limits_;
  const InferContext infer_;
  const core::ApiRestrictions restrictions_;
  const int infer_compression_level_;
  core::SharedMemoryRegistry* const shared_memory_;
};

}  // namespace inferd::frontend::grpc
