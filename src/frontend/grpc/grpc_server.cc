#include "frontend/grpc/grpc_server.h"

#include <chrono>
#include <climits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "frontend/grpc/call_counter.h"
#include "frontend/grpc/callback_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace inferd::frontend::grpc {

static_assert(static_cast<int>(CompressionLevel::kNone) == GRPC_COMPRESS_LEVEL_NONE &&
              static_cast<int>(CompressionLevel::kLow) == GRPC_COMPRESS_LEVEL_LOW &&
              static_cast<int>(CompressionLevel::kMedium) == GRPC_COMPRESS_LEVEL_MED &&
              static_cast<int>(CompressionLevel::kHigh) == GRPC_COMPRESS_LEVEL_HIGH);
namespace {

std::string HostPort(const std::string& address, int port) {
  const bool ipv6 = address.find(':') != std::string::npos && address.front() != '[';
  return ipv6 ? absl::StrCat("[", address, "]:", port) : absl::StrCat(address, ":", port);
}

void AddConnectionArguments(const GrpcConnectionOptions& c, ::grpc::ServerBuilder& builder) {
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, c.keepalive_time_ms);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, c.keepalive_timeout_ms);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
                             c.keepalive_permit_without_calls ? 1 : 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, c.http2_max_pings_without_data);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             c.http2_min_recv_ping_interval_without_data_ms);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, c.http2_max_ping_strikes);
  // gRPC's own default for both is "never"; 0 keeps it.
  if (c.max_connection_age_ms > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, c.max_connection_age_ms);
  }
  if (c.max_connection_age_grace_ms > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, c.max_connection_age_grace_ms);
  }
}

}  // namespace

GrpcServer::GrpcServer(core::InferenceService& service, GrpcOptions options)
    : service_(service), options_(std::move(options)) {}

GrpcServer::~GrpcServer() { Stop(); }

StatusOr<int> GrpcServer::Start() {
  // A request's elements each take at least one byte on the wire, so the message size bounds
  // every tensor's element count too.
  const int max_size = static_cast<int>(std::min<size_t>(options_.max_message_size, INT_MAX));
  callback_service_ = std::make_unique<CallbackService>(
      service_, DecodeLimits{static_cast<int64_t>(max_size)}, options_.stream,
      options_.restricted_protocols, static_cast<int>(options_.infer_compression_level),
      options_.shared_memory);
  auto credentials =
      options_.tls != nullptr ? options_.tls->Credentials() : ::grpc::InsecureServerCredentials();
  ::grpc::EnableDefaultHealthCheckService(true);
  ::grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(HostPort(options_.address, options_.port), credentials, &bound_port);
  builder.RegisterService(callback_service_.get());
  builder.SetMaxReceiveMessageSize(max_size);
  builder.SetMaxSendMessageSize(max_size);
  ::grpc::ResourceQuota quota("inferd_grpc");
  quota.Resize(options_.max_memory);
  quota.SetMaxThreads(options_.max_threads);
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options_.max_concurrent_streams);
  AddConnectionArguments(options_.connection, builder);
  if (!options_.accept_compressed_requests) {
    // Only identity: a compressed request is refused from its grpc-encoding, before inflating.
    builder.AddChannelArgument(GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET,
                               1 << GRPC_COMPRESS_NONE);
  }
  if (options_.call_counters != nullptr) {
    std::vector<std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(CallCounterFactory(*options_.call_counters));
    builder.experimental().SetInterceptorCreators(std::move(creators));
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || bound_port == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", HostPort(options_.address, options_.port)));
  }
  // Models are loaded before front ends start, so readiness is known now.
  server_->GetHealthCheckService()->SetServingStatus(service_.IsReady());
  return bound_port;
}

void GrpcServer::SetServing(bool serving) {
  if (server_) server_->GetHealthCheckService()->SetServingStatus(serving);
}

void GrpcServer::Stop() {
  if (server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_->Wait();
  server_.reset();
  callback_service_.reset();
}

}  // namespace inferd::frontend::grpc
