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

// Load and unload finish on a loader thread, after the reactor was returned.
core::StatusCallback FinishLater(::grpc::ServerUnaryReactor* reactor) {
  return [reactor](Status status) { reactor->Finish(ToGrpcStatus(status)); };
}

// Triton's parameters: "config" (string, a ModelConfig as JSON); "file:<path>" is refused since
// inferd loads model files only from its repository.
StatusOr<std::string> ConfigOverride(const ::inference::RepositoryModelLoadRequest& request) {
  std::string config;
  for (const auto& [key, value] : request.parameters()) {
    if (key == "config") {
      if (value.parameter_choice_case() != ::inference::ModelRepositoryParameter::kStringParam) {
        return absl::InvalidArgumentError("parameter 'config' must be a string holding JSON");
      }
      config = value.string_param();
    } else if (key.rfind("file:", 0) == 0) {
      return absl::InvalidArgumentError(
          "parameter '" + key +
          "' is not supported: inferd loads model files only from its model repository");
    }
  }
  return config;
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
    Context* context, const ::inference::RepositoryModelLoadRequest* request,
    ::inference::RepositoryModelLoadResponse*) {
  auto config = ConfigOverride(*request);
  if (!config.ok()) return Answer(context, config.status());
  auto* reactor = context->DefaultReactor();
  service_.LoadModel({request->model_name(), *std::move(config)}, FinishLater(reactor));
  return reactor;
}

::grpc::ServerUnaryReactor* CallbackService::RepositoryModelUnload(
    Context* context, const ::inference::RepositoryModelUnloadRequest* request,
    ::inference::RepositoryModelUnloadResponse*) {
  auto* reactor = context->DefaultReactor();
  service_.UnloadModel(request->model_name(), FinishLater(reactor));
  return reactor;
}

::grpc::ServerUnaryReactor* CallbackService::ModelInfer(Context* context,
                                                        const ::grpc::ByteBuffer* request,
                                                        ::grpc::ByteBuffer* response) {
  SetResponseCompression(context);
  return StartUnaryInfer(infer_, request, response);
}

::grpc::ServerBidiReactor<::grpc::ByteBuffer, ::grpc::ByteBuffer>*
CallbackService::ModelStreamInfer(Context* context) {
  SetResponseCompression(context);
  return StartStreamInfer(infer_);
}

// As Triton: only inference responses are compressed, and only when a level is configured (gRPC
// then picks an algorithm among those the client announced it accepts).
void CallbackService::SetResponseCompression(Context* context) const {
  if (infer_compression_level_ == GRPC_COMPRESS_LEVEL_NONE) return;
  context->set_compression_level(static_cast<grpc_compression_level>(infer_compression_level_));
}

}  // namespace inferd::frontend::grpc
