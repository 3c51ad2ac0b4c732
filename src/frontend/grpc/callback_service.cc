#include "frontend/grpc/callback_service.h"

#include "frontend/grpc/grpc_status.h"
#include "frontend/grpc/infer_reactors.h"
#include "frontend/grpc/metadata_codec.h"

namespace inferd::frontend::grpc {
namespace {

::grpc::ServerUnaryReactor* Answer(::grpc::CallbackServerContext* context, const Status& status) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// Model control (explicit load / unload) is a later feature: every model in the repository is
// loaded at start-up, as Triton's --model-control-mode=none.
Status ModelControlDisabled(const std::string& verb) {
  return absl::FailedPreconditionError("explicit model " + verb +
                                       " is not allowed: model control mode is 'none'");
}

}  // namespace

::grpc::ServerUnaryReactor* CallbackService::ServerLive(Context* context,
                                                        const ::inference::ServerLiveRequest*,
                                                        ::inference::ServerLiveResponse* response) {
  response->set_live(service_.IsLive());
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::ServerReady(
    Context* context, const ::inference::ServerReadyRequest*,
    ::inference::ServerReadyResponse* response) {
  response->set_ready(service_.IsReady());
  return Answer(context, absl::OkStatus());
}

// Like HTTP's ready endpoint, a model that is unknown or not ready is simply "not ready".
::grpc::ServerUnaryReactor* CallbackService::ModelReady(
    Context* context, const ::inference::ModelReadyRequest* request,
    ::inference::ModelReadyResponse* response) {
  auto version = ParseModelVersion(request->version());
  if (!version.ok()) return Answer(context, version.status());
  response->set_ready(service_.ModelReady(request->name(), *version).ok());
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::ServerMetadata(
    Context* context, const ::inference::ServerMetadataRequest*,
    ::inference::ServerMetadataResponse* response) {
  EncodeServerMetadata(service_.GetServerMetadata(), *response);
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::ModelMetadata(
    Context* context, const ::inference::ModelMetadataRequest* request,
    ::inference::ModelMetadataResponse* response) {
  auto version = ParseModelVersion(request->version());
  if (!version.ok()) return Answer(context, version.status());
  auto metadata = service_.GetModelMetadata(request->name(), *version);
  if (!metadata.ok()) return Answer(context, metadata.status());
  EncodeModelMetadata(*metadata, *response);
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::ModelConfig(
    Context* context, const ::inference::ModelConfigRequest* request,
    ::inference::ModelConfigResponse* response) {
  auto version = ParseModelVersion(request->version());
  if (!version.ok()) return Answer(context, version.status());
  auto config = service_.GetModelConfig(request->name(), *version);
  if (!config.ok()) return Answer(context, config.status());
  *response->mutable_config() = *std::move(config);
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::ModelStatistics(
    Context* context, const ::inference::ModelStatisticsRequest* request,
    ::inference::ModelStatisticsResponse* response) {
  auto version = ParseModelVersion(request->version());
  if (!version.ok()) return Answer(context, version.status());
  auto stats = service_.GetModelStatistics(request->name(), *version);
  if (!stats.ok()) return Answer(context, stats.status());
  EncodeModelStatistics(*stats, *response);
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::RepositoryIndex(
    Context* context, const ::inference::RepositoryIndexRequest* request,
    ::inference::RepositoryIndexResponse* response) {
  EncodeRepositoryIndex(service_.RepositoryIndex(request->ready()), *response);
  return Answer(context, absl::OkStatus());
}

::grpc::ServerUnaryReactor* CallbackService::RepositoryModelLoad(
    Context* context, const ::inference::RepositoryModelLoadRequest*,
    ::inference::RepositoryModelLoadResponse*) {
  return Answer(context, ModelControlDisabled("load"));
}

::grpc::ServerUnaryReactor* CallbackService::RepositoryModelUnload(
    Context* context, const ::inference::RepositoryModelUnloadRequest*,
    ::inference::RepositoryModelUnloadResponse*) {
  return Answer(context, ModelControlDisabled("unload"));
}

::grpc::ServerUnaryReactor* CallbackService::ModelInfer(Context*, const ::grpc::ByteBuffer* request,
                                                        ::grpc::ByteBuffer* response) {
  return StartUnaryInfer(service_, limits_, request, response);
}

::grpc::ServerBidiReactor<::grpc::ByteBuffer, ::grpc::ByteBuffer>*
CallbackService::ModelStreamInfer(Context*) {
  return StartStreamInfer(service_, limits_);
}

}  // namespace inferd::frontend::grpc
