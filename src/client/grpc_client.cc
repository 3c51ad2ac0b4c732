#include "client/grpc_client.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>  // std::call_once
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/grpc_codec.h"
#include "client/retry.h"
#include "grpc_service.grpc.pb.h"

namespace inferd::client {
namespace {

using ::inference::GRPCInferenceService;

enum class Retry { kIdempotent, kInfer, kNever };

bool Retryable(Retry retry, const ::grpc::Status& status) {
  switch (retry) {
    case Retry::kIdempotent:
      return status.error_code() == ::grpc::StatusCode::UNAVAILABLE;
    case Retry::kInfer:  // the server's "not taken now" answers (its 503 + Retry-After)
      return status.error_code() == ::grpc::StatusCode::UNAVAILABLE ||
             status.error_code() == ::grpc::StatusCode::RESOURCE_EXHAUSTED;
    case Retry::kNever:
      return false;
  }
  return false;
}

// A std::string, as GenericStub takes it: built once, not per call.
const std::string& ModelInferMethod() {
  static const std::string method = "/inference.GRPCInferenceService/ModelInfer";
  return method;
}

struct GrpcPreparedInfer : PreparedInfer {
  ::grpc::ByteBuffer request;  // the serialized ModelInferRequest (slices are refcounted)
  grpc_compression_algorithm compression = GRPC_COMPRESS_NONE;
};

// InferOptions::request_compression_algorithm as gRPC's message compression.
StatusOr<grpc_compression_algorithm> RequestCompression(const InferOptions& options) {
  const std::string& name = options.request_compression_algorithm;
  if (name.empty()) return GRPC_COMPRESS_NONE;
  if (name == "gzip") return GRPC_COMPRESS_GZIP;
  if (name == "deflate") return GRPC_COMPRESS_DEFLATE;
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported compression algorithm '", name, "' (gzip, deflate or none)"));
}

// gRPC 1.51 runs callback-API calls on a process-wide completion queue with its own poller threads,
// referenced by every channel that made a callback call and shut down when the last such channel
// is destroyed. A client destroyed right after its last async callback returns (the documented way
// to wait for outstanding calls) destroys that last channel while a poller thread is still leaving
// the callback, and the queue is freed twice (seen under ASan). One channel that made a callback
// call and is never destroyed keeps the queue referenced for the life of the process.
void PinCallbackQueue() {
  struct Pin {
    std::shared_ptr<::grpc::Channel> channel;
    std::unique_ptr<GRPCInferenceService::Stub> stub;
    ::grpc::ClientContext context;
    ::inference::ServerLiveRequest request;
    ::inference::ServerLiveResponse response;
  };
  static std::once_flag once;
  std::call_once(once, [] {
    // Never destroyed on purpose (as absl::NoDestructor would): its destructor would release the
    // queue at exit, which is the race this avoids. Reachable from a static, so not a leak.
    static Pin* const pin = std::make_unique<Pin>().release();
    pin->channel =
        ::grpc::CreateChannel("unix:/nonexistent/inferd-pin", ::grpc::InsecureChannelCredentials());
    pin->stub = GRPCInferenceService::NewStub(pin->channel);
    pin->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
    // Fails at once (nothing listens there); making the call is what takes the reference.
    pin->stub->async()->ServerLive(&pin->context, &pin->request, &pin->response,
                                   [](::grpc::Status) {});
  });
}

// TLS as gRPC does it: the PEM contents, not paths. An unreadable file gives empty contents,
// which gRPC then fails on at connect (CreateClient reports bad files before this).
std::string ReadFileOrEmpty(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::shared_ptr<::grpc::ChannelCredentials> ChannelCredentials(const ClientOptions& options) {
  if (!UsesTls(options)) return ::grpc::InsecureChannelCredentials();
  ::grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileOrEmpty(options.tls.ca_file);  // empty = gRPC's default roots
  ssl.pem_private_key = ReadFileOrEmpty(options.tls.key_file);
  ssl.pem_cert_chain = ReadFileOrEmpty(options.tls.cert_file);
  return ::grpc::SslCredentials(ssl);
}

}  // namespace

struct GrpcClient::Impl {
  explicit Impl(const ClientOptions& o) : options(o) {
    PinCallbackQueue();
    const HostPort address = ParseUrl(o.url, 8001);
    ::grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(-1);
    args.SetMaxSendMessageSize(-1);
    channel = ::grpc::CreateCustomChannel(absl::StrCat(address.host, ":", address.port),
                                          ChannelCredentials(o), args);
    stub = GRPCInferenceService::NewStub(channel);
    generic = std::make_unique<::grpc::GenericStub>(channel);
  }

  // Bounds connecting by connect_timeout (a call's own deadline is the request timeout).
  Status EnsureConnected() {
    const auto deadline = std::chrono::system_clock::now() + options.connect_timeout;
    auto state = channel->GetState(true);
    while (state != GRPC_CHANNEL_READY) {
      if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) {
        return absl::UnavailableError(absl::StrCat("gRPC: cannot connect to ", options.url));
      }
      if (!channel->WaitForStateChange(state, deadline)) {
        return absl::DeadlineExceededError(
            absl::StrCat("gRPC: connecting to ", options.url, " timed out"));
      }
      state = channel->GetState(true);
    }
    return absl::OkStatus();
  }

  void SetDeadline(::grpc::ClientContext& context) const {
    context.set_deadline(std::chrono::system_clock::now() + options.request_timeout);
  }

  // One unary call with the retry policy; `rpc(context, response)` issues it.
  template <typename Response, typename Rpc>
  StatusOr<Response> Call(Rpc rpc, Retry retry) {
    const int attempts = retry == Retry::kNever ? 1 : std::max(1, options.retry.max_attempts);
    Backoff backoff(options.retry);
    for (int attempt = 1;; ++attempt) {
      ::grpc::Status status;
      if (Status connected = EnsureConnected(); !connected.ok()) {
        status = ::grpc::Status(static_cast<::grpc::StatusCode>(connected.code()),
                                std::string(connected.message()));
      } else {
        ::grpc::ClientContext context;
        SetDeadline(context);
        Response response;
        status = rpc(&context, &response);
        if (status.ok()) return response;
      }
      if (!Retryable(retry, status) || attempt >= attempts) return StatusFromGrpc(status);
      std::this_thread::sleep_for(backoff.Next(-1));
    }
  }

  void BeginAsync() {
    absl::MutexLock lock(&mutex);
    ++outstanding;
  }
  void EndAsync() {
    absl::MutexLock lock(&mutex);
    --outstanding;
  }

  const ClientOptions options;
  std::shared_ptr<::grpc::Channel> channel;
  std::unique_ptr<GRPCInferenceService::Stub> stub;
  std::unique_ptr<::grpc::GenericStub> generic;  // prepared (pre-serialized) requests
  absl::Mutex mutex;
  int outstanding ABSL_GUARDED_BY(mutex) = 0;  // asynchronous calls in flight

  // The open stream (StartStream .. StopStream).
  struct Stream {
    ::grpc::ClientContext context;
    std::unique_ptr<::grpc::ClientReaderWriter<::inference::ModelInferRequest,
                                               ::inference::ModelStreamInferResponse>>
        rw;
    std::thread reader;
  };
  absl::Mutex stream_mutex;
  std::unique_ptr<Stream> stream ABSL_GUARDED_BY(stream_mutex);
};

GrpcClient::GrpcClient(const ClientOptions& options) : impl_(std::make_unique<Impl>(options)) {}

GrpcClient::~GrpcClient() {
  StopStream().IgnoreError();  // FailedPrecondition when no stream is open
  absl::MutexLock lock(&impl_->mutex);
  impl_->mutex.Await(absl::Condition(
      +[](int* outstanding) { return *outstanding == 0; }, &impl_->outstanding));
}

StatusOr<bool> GrpcClient::IsServerLive() {
  ASSIGN_OR_RETURN(auto r,
                   impl_->Call<::inference::ServerLiveResponse>(
                       [&](auto* c, auto* out) { return impl_->stub->ServerLive(c, {}, out); },
                       Retry::kIdempotent));
  return r.live();
}

StatusOr<bool> GrpcClient::IsServerReady() {
  ASSIGN_OR_RETURN(auto r,
                   impl_->Call<::inference::ServerReadyResponse>(
                       [&](auto* c, auto* out) { return impl_->stub->ServerReady(c, {}, out); },
                       Retry::kIdempotent));
  return r.ready();
}

StatusOr<bool> GrpcClient::IsModelReady(const std::string& model, const std::string& version) {
  ::inference::ModelReadyRequest request;
  request.set_name(model);
  request.set_version(version);
  auto r = impl_->Call<::inference::ModelReadyResponse>(
      [&](auto* c, auto* out) { return impl_->stub->ModelReady(c, request, out); },
      Retry::kIdempotent);
  if (!r.ok() && absl::IsNotFound(r.status())) return false;  // as the HTTP client
  RETURN_IF_ERROR(r.status());
  return r->ready();
}

StatusOr<ServerMetadata> GrpcClient::GetServerMetadata() {
  ASSIGN_OR_RETURN(auto r,
                   impl_->Call<::inference::ServerMetadataResponse>(
                       [&](auto* c, auto* out) { return impl_->stub->ServerMetadata(c, {}, out); },
                       Retry::kIdempotent));
  return ServerMetadata{r.name(), r.version(), {r.extensions().begin(), r.extensions().end()}};
}

StatusOr<ModelMetadata> GrpcClient::GetModelMetadata(const std::string& model,
                                                     const std::string& version) {
  ::inference::ModelMetadataRequest request;
  request.set_name(model);
  request.set_version(version);
  ASSIGN_OR_RETURN(
      auto r, impl_->Call<::inference::ModelMetadataResponse>(
                  [&](auto* c, auto* out) { return impl_->stub->ModelMetadata(c, request, out); },
                  Retry::kIdempotent));
  return FromProto(r);
}

StatusOr<ModelConfig> GrpcClient::GetModelConfig(const std::string& model,
                                                 const std::string& version) {
  ::inference::ModelConfigRequest request;
  request.set_name(model);
  request.set_version(version);
  ASSIGN_OR_RETURN(
      auto r, impl_->Call<::inference::ModelConfigResponse>(
                  [&](auto* c, auto* out) { return impl_->stub->ModelConfig(c, request, out); },
                  Retry::kIdempotent));
  return FromProto(r);
}

StatusOr<std::vector<RepositoryModel>> GrpcClient::RepositoryIndex(bool ready_only) {
  ::inference::RepositoryIndexRequest request;
  request.set_ready(ready_only);
  ASSIGN_OR_RETURN(
      auto r, impl_->Call<::inference::RepositoryIndexResponse>(
                  [&](auto* c, auto* out) { return impl_->stub->RepositoryIndex(c, request, out); },
                  Retry::kIdempotent));
  return FromProto(r);
}

Status GrpcClient::LoadModel(const std::string& model, const std::string& config_json) {
  ::inference::RepositoryModelLoadRequest request;
  request.set_model_name(model);
  if (!config_json.empty()) (*request.mutable_parameters())["config"].set_string_param(config_json);
  return impl_
      ->Call<::inference::RepositoryModelLoadResponse>(
          [&](auto* c, auto* out) { return impl_->stub->RepositoryModelLoad(c, request, out); },
          Retry::kNever)
      .status();
}

Status GrpcClient::UnloadModel(const std::string& model) {
  ::inference::RepositoryModelUnloadRequest request;
  request.set_model_name(model);
  return impl_
      ->Call<::inference::RepositoryModelUnloadResponse>(
          [&](auto* c, auto* out) { return impl_->stub->RepositoryModelUnload(c, request, out); },
          Retry::kNever)
      .status();
}

StatusOr<std::vector<ModelStatistics>> GrpcClient::GetModelStatistics(const std::string& model,
                                                                      const std::string& version) {
  ::inference::ModelStatisticsRequest request;
  request.set_name(model);
  request.set_version(version);
  ASSIGN_OR_RETURN(
      auto r, impl_->Call<::inference::ModelStatisticsResponse>(
                  [&](auto* c, auto* out) { return impl_->stub->ModelStatistics(c, request, out); },
                  Retry::kIdempotent));
  return FromProto(r);
}

StatusOr<InferResult> GrpcClient::Infer(const InferOptions& options,
                                        const std::vector<InferInput>& inputs,
                                        const std::vector<InferRequestedOutput>& outputs) {
  ASSIGN_OR_RETURN(auto request, EncodeGrpcInfer(options, inputs, outputs));
  ASSIGN_OR_RETURN(const auto compression, RequestCompression(options));
  const Retry retry = impl_->options.retry.retry_infer ? Retry::kInfer : Retry::kNever;
  ASSIGN_OR_RETURN(auto response, impl_->Call<::inference::ModelInferResponse>(
                                      [&](::grpc::ClientContext* c, auto* out) {
                                        c->set_compression_algorithm(compression);
                                        return impl_->stub->ModelInfer(c, request, out);
                                      },
                                      retry));
  return DecodeGrpcInfer(response);
}

void GrpcClient::AsyncInfer(InferCallback callback, const InferOptions& options,
                            const std::vector<InferInput>& inputs,
                            const std::vector<InferRequestedOutput>& outputs) {
  struct Call {
    ::grpc::ClientContext context;
    ::inference::ModelInferRequest request;
    ::inference::ModelInferResponse response;
  };
  auto request = EncodeGrpcInfer(options, inputs, outputs);
  if (!request.ok()) return callback(request.status());
  const auto compression = RequestCompression(options);
  if (!compression.ok()) return callback(compression.status());
  auto call = std::make_shared<Call>();
  call->request = *std::move(request);
  call->context.set_compression_algorithm(*compression);
  impl_->SetDeadline(call->context);
  impl_->BeginAsync();
  impl_->stub->async()->ModelInfer(
      &call->context, &call->request, &call->response,
      [impl = impl_.get(), call, callback = std::move(callback)](::grpc::Status status) {
        if (status.ok()) {
          callback(DecodeGrpcInfer(call->response));
        } else {
          callback(StatusFromGrpc(status));
        }
        impl->EndAsync();
      });
}

StatusOr<std::shared_ptr<const PreparedInfer>> GrpcClient::PrepareInfer(
    const InferOptions& options, const std::vector<InferInput>& inputs,
    const std::vector<InferRequestedOutput>& outputs) {
  ASSIGN_OR_RETURN(auto request, EncodeGrpcInfer(options, inputs, outputs));
  auto prepared = std::make_shared<GrpcPreparedInfer>();
  ASSIGN_OR_RETURN(prepared->compression, RequestCompression(options));
  bool own_buffer = false;
  const ::grpc::Status serialized =
      ::grpc::SerializationTraits<::inference::ModelInferRequest>::Serialize(
          request, &prepared->request, &own_buffer);
  if (!serialized.ok()) return StatusFromGrpc(serialized);
  return std::shared_ptr<const PreparedInfer>(std::move(prepared));
}

void GrpcClient::AsyncInferPrepared(std::shared_ptr<const PreparedInfer> request,
                                    StatusCallback callback) {
  const auto* grpc = dynamic_cast<const GrpcPreparedInfer*>(request.get());
  if (grpc == nullptr) return InferenceClient::AsyncInferPrepared(std::move(request), callback);
  struct Call {
    ::grpc::ClientContext context;
    std::shared_ptr<const PreparedInfer> prepared;  // keeps the request buffer alive
    ::grpc::ByteBuffer response;                    // not deserialized
  };
  auto call = std::make_shared<Call>();
  call->prepared = std::move(request);
  call->context.set_compression_algorithm(grpc->compression);
  impl_->SetDeadline(call->context);
  impl_->BeginAsync();
  impl_->generic->UnaryCall(
      &call->context, ModelInferMethod(), ::grpc::StubOptions(), &grpc->request, &call->response,
      [impl = impl_.get(), call, callback = std::move(callback)](::grpc::Status status) {
        callback(status.ok() ? absl::OkStatus() : StatusFromGrpc(status));
        impl->EndAsync();
      });
}

Status GrpcClient::StartStream(InferCallback callback) {
  absl::MutexLock lock(&impl_->stream_mutex);
  if (impl_->stream != nullptr) return absl::FailedPreconditionError("a stream is already open");
  RETURN_IF_ERROR(impl_->EnsureConnected());
  auto stream = std::make_unique<Impl::Stream>();
  stream->rw = impl_->stub->ModelStreamInfer(&stream->context);
  stream->reader = std::thread([rw = stream->rw.get(), callback = std::move(callback)] {
    ::inference::ModelStreamInferResponse response;
    while (rw->Read(&response)) {
      if (!response.error_message().empty()) {
        callback(absl::InternalError(absl::StrCat("stream: ", response.error_message())));
      } else {
        callback(DecodeGrpcInfer(*response.mutable_infer_response()));
      }
    }
  });
  impl_->stream = std::move(stream);
  return absl::OkStatus();
}

Status GrpcClient::AsyncStreamInfer(const InferOptions& options,
                                    const std::vector<InferInput>& inputs,
                                    const std::vector<InferRequestedOutput>& outputs) {
  ASSIGN_OR_RETURN(auto request, EncodeGrpcInfer(options, inputs, outputs));
  absl::MutexLock lock(&impl_->stream_mutex);
  if (impl_->stream == nullptr) return absl::FailedPreconditionError("no stream is open");
  if (!impl_->stream->rw->Write(request)) {
    return absl::UnavailableError("gRPC: the stream is closed");
  }
  return absl::OkStatus();
}

Status GrpcClient::StopStream() {
  std::unique_ptr<Impl::Stream> stream;
  {
    absl::MutexLock lock(&impl_->stream_mutex);
    stream = std::move(impl_->stream);
  }
  if (stream == nullptr) return absl::FailedPreconditionError("no stream is open");
  stream->rw->WritesDone();
  stream->reader.join();
  return StatusFromGrpc(stream->rw->Finish());
}

}  // namespace inferd::client
