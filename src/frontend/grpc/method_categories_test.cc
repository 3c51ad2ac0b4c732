// --grpc-restricted-protocol on every RPC: walks the method table against a real server on
// 127.0.0.1 (the facade faked) and proves each category is refused without its header, served
// with it, and that unrestricted categories are unaffected; the table covers the whole service.
#include "frontend/grpc/method_categories.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "frontend/grpc/grpc_server.h"
#include "grpc_service.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::grpc {
namespace {

using Headers = std::map<std::string, std::string>;
using Stub = ::inference::GRPCInferenceService::Stub;

::grpc::Status Invoke(Stub& stub, std::string_view method, const Headers& headers) {
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [key, value] : headers) context.AddMetadata(key, value);
#define INFERD_UNARY(name)                          \
  if (method == #name) {                            \
    ::inference::name##Request request;             \
    ::inference::name##Response response;           \
    return stub.name(&context, request, &response); \
  }
  INFERD_UNARY(ServerLive)
  INFERD_UNARY(ServerReady)
  INFERD_UNARY(ServerMetadata)
  INFERD_UNARY(ModelConfig)
  INFERD_UNARY(ModelStatistics)
  INFERD_UNARY(RepositoryIndex)
  INFERD_UNARY(SystemSharedMemoryStatus)
  INFERD_UNARY(SystemSharedMemoryRegister)
  INFERD_UNARY(SystemSharedMemoryUnregister)
  INFERD_UNARY(CudaSharedMemoryStatus)
  INFERD_UNARY(CudaSharedMemoryRegister)
  INFERD_UNARY(CudaSharedMemoryUnregister)
#undef INFERD_UNARY
  if (method == "ModelReady") {
    ::inference::ModelReadyRequest request;
    request.set_name("echo");
    ::inference::ModelReadyResponse response;
    return stub.ModelReady(&context, request, &response);
  }
  if (method == "ModelMetadata") {
    ::inference::ModelMetadataRequest request;
    request.set_name("echo");
    ::inference::ModelMetadataResponse response;
    return stub.ModelMetadata(&context, request, &response);
  }
  if (method == "ModelInfer") {
    ::inference::ModelInferRequest request;
    request.set_model_name("echo");
    ::inference::ModelInferResponse response;
    return stub.ModelInfer(&context, request, &response);
  }
  if (method == "RepositoryModelLoad") {
    ::inference::RepositoryModelLoadRequest request;
    request.set_model_name("echo");
    ::inference::RepositoryModelLoadResponse response;
    return stub.RepositoryModelLoad(&context, request, &response);
  }
  if (method == "RepositoryModelUnload") {
    ::inference::RepositoryModelUnloadRequest request;
    request.set_model_name("echo");
    ::inference::RepositoryModelUnloadResponse response;
    return stub.RepositoryModelUnload(&context, request, &response);
  }
  if (method == "ModelStreamInfer") {
    auto stream = stub.ModelStreamInfer(&context);
    stream->WritesDone();
    ::inference::ModelStreamInferResponse response;
    while (stream->Read(&response)) {
    }
    return stream->Finish();
  }
  ADD_FAILURE() << "no test call for RPC " << method << ": add one";
  return ::grpc::Status(::grpc::StatusCode::INTERNAL, "untested");
}

bool Restricted(const ::grpc::Status& status) {
  return status.error_code() == ::grpc::StatusCode::UNAVAILABLE &&
         status.error_message().find("This protocol is restricted") != std::string::npos;
}

std::string HeaderOf(core::ApiCategory category) {
  return std::string(kRestrictedHeaderPrefix) + "key-" +
         std::string(core::ApiCategoryName(category));
}

class RestrictedServer {
 public:
  explicit RestrictedServer(const std::vector<std::string>& flags) {
    auto restrictions = core::ApiRestrictions::Parse(flags, "grpc-restricted-protocol", "protocol",
                                                     kRestrictedHeaderPrefix);
    EXPECT_TRUE(restrictions.ok()) << restrictions.status();
    GrpcOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.restricted_protocols = *std::move(restrictions);
    server_ = std::make_unique<GrpcServer>(service_, std::move(options));
    auto port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status();
    stub_ = ::inference::GRPCInferenceService::NewStub(::grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port.value_or(0)), ::grpc::InsecureChannelCredentials()));
  }
  ~RestrictedServer() { server_->Stop(); }
  Stub& stub() { return *stub_; }

 private:
  http::testing::FakeInferenceService service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<Stub> stub_;
};

TEST(GrpcMethodTableTest, CoversEveryRpcOfTheService) {
  const auto* service = ::inference::ServerLiveRequest::descriptor()->file()->FindServiceByName(
      "GRPCInferenceService");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(static_cast<size_t>(service->method_count()), MethodTable().size());
  for (int i = 0; i < service->method_count(); ++i) {
    EXPECT_TRUE(GrpcMethodCategory(service->method(i)->name()).has_value())
        << service->method(i)->name() << " has no category";
  }
}

TEST(GrpcMethodTableTest, EveryCategoryIsEnforcedOnEveryRpc) {
  // Each category its own key, so one server proves each method needs exactly its own header.
  std::vector<std::string> flags;
  Headers all;
  for (core::ApiCategory category : core::AllApiCategories()) {
    const std::string name(core::ApiCategoryName(category));
    flags.push_back(name + ":key-" + name + "=v-" + name);
    all[HeaderOf(category)] = "v-" + name;
  }
  RestrictedServer server(flags);
  for (const GrpcMethod& method : MethodTable()) {
    SCOPED_TRACE(std::string(method.name));
    const std::string own = HeaderOf(method.category);
    const ::grpc::Status without = Invoke(server.stub(), method.name, {});
    EXPECT_TRUE(Restricted(without)) << without.error_message();
    EXPECT_NE(without.error_message().find("'" + own + "'"), std::string::npos);
    EXPECT_EQ(without.error_message().find("v-"), std::string::npos);  // never the value
    Headers others = all;
    others.erase(own);
    EXPECT_TRUE(Restricted(Invoke(server.stub(), method.name, others)));
    Headers wrong = all;
    wrong[own] = "nope";
    EXPECT_TRUE(Restricted(Invoke(server.stub(), method.name, wrong)));
    const ::grpc::Status with = Invoke(server.stub(), method.name, {{own, all[own]}});
    EXPECT_FALSE(Restricted(with)) << with.error_message();
  }
}

TEST(GrpcMethodTableTest, UnrestrictedCategoriesAreUnaffected) {
  RestrictedServer server({"model-repository:admin=secret"});
  for (const GrpcMethod& method : MethodTable()) {
    SCOPED_TRACE(std::string(method.name));
    const ::grpc::Status status = Invoke(server.stub(), method.name, {});
    EXPECT_EQ(Restricted(status), method.category == core::ApiCategory::kModelRepository)
        << status.error_message();
  }
  EXPECT_TRUE(Invoke(server.stub(), "ServerLive", {}).ok());
  EXPECT_TRUE(
      Invoke(server.stub(), "RepositoryIndex", {{"triton-grpc-protocol-admin", "secret"}}).ok());
}

}  // namespace
}  // namespace inferd::frontend::grpc
