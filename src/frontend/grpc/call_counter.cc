#include "frontend/grpc/call_counter.h"

#include <array>
#include <string_view>

namespace inferd::frontend::grpc {
namespace {

namespace exp = ::grpc::experimental;

class CallCounter final : public exp::Interceptor {
 public:
  CallCounter(metrics::StatusCounters& counters, size_t method)
      : counters_(counters), method_(method) {}

  void Intercept(exp::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(exp::InterceptionHookPoints::PRE_SEND_STATUS)) {
      counters_.Increment(method_, static_cast<int>(methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  metrics::StatusCounters& counters_;
  const size_t method_;
};

class CallCounterFactoryImpl final : public exp::ServerInterceptorFactoryInterface {
 public:
  explicit CallCounterFactoryImpl(metrics::StatusCounters& counters) : counters_(counters) {}

  exp::Interceptor* CreateServerInterceptor(exp::ServerRpcInfo* info) override {
    std::string_view method = info->method() != nullptr ? info->method() : "";
    method = method.substr(method.rfind('/') == std::string_view::npos ? 0 : method.rfind('/') + 1);
    return new CallCounter(counters_, counters_.IndexOf(method));  // gRPC owns interceptors
  }

 private:
  metrics::StatusCounters& counters_;
};

}  // namespace

const std::vector<std::string>& GrpcMethods() {
  static const std::vector<std::string> names = {"ServerLive",
                                                 "ServerReady",
                                                 "ModelReady",
                                                 "ServerMetadata",
                                                 "ModelMetadata",
                                                 "ModelInfer",
                                                 "ModelStreamInfer",
                                                 "ModelConfig",
                                                 "ModelStatistics",
                                                 "RepositoryIndex",
                                                 "RepositoryModelLoad",
                                                 "RepositoryModelUnload",
                                                 "other"};
  return names;
}

std::string GrpcCodeName(int code) {
  static constexpr std::array<const char*, 17> kNames = {"OK",
                                                         "CANCELLED",
                                                         "UNKNOWN",
                                                         "INVALID_ARGUMENT",
                                                         "DEADLINE_EXCEEDED",
                                                         "NOT_FOUND",
                                                         "ALREADY_EXISTS",
                                                         "PERMISSION_DENIED",
                                                         "RESOURCE_EXHAUSTED",
                                                         "FAILED_PRECONDITION",
                                                         "ABORTED",
                                                         "OUT_OF_RANGE",
                                                         "UNIMPLEMENTED",
                                                         "INTERNAL",
                                                         "UNAVAILABLE",
                                                         "DATA_LOSS",
                                                         "UNAUTHENTICATED"};
  return code >= 0 && code < 17 ? kNames[static_cast<size_t>(code)] : "UNKNOWN";
}

std::unique_ptr<exp::ServerInterceptorFactoryInterface> CallCounterFactory(
    metrics::StatusCounters& counters) {
  return std::make_unique<CallCounterFactoryImpl>(counters);
}

}  // namespace inferd::frontend::grpc
