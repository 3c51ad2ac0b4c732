#include "client/inference_client.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "client/grpc_client.h"
#include "client/http_client.h"
#include "client/tls_stream.h"

namespace inferd::client {

HostPort ParseUrl(const std::string& url, int default_port) {
  std::string_view rest = url;
  if (const size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  HostPort out{std::string(rest), default_port};
  const size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    out.host = std::string(rest.substr(0, colon));
    out.port = std::atoi(std::string(rest.substr(colon + 1)).c_str());
  }
  if (out.host.size() > 2 && out.host.front() == '[') {
    out.host = out.host.substr(1, out.host.size() - 2);  // [::1] -> ::1
  }
  return out;
}

namespace {

// The protocol-independent fallback: the request's parts, encoded again at every send.
struct GenericPreparedInfer : PreparedInfer {
  GenericPreparedInfer(InferOptions o, std::vector<InferInput> i,
                       std::vector<InferRequestedOutput> out)
      : options(std::move(o)), inputs(std::move(i)), outputs(std::move(out)) {}
  InferOptions options;
  std::vector<InferInput> inputs;
  std::vector<InferRequestedOutput> outputs;
};

}  // namespace

StatusOr<std::shared_ptr<const PreparedInfer>> InferenceClient::PrepareInfer(
    const InferOptions& options, const std::vector<InferInput>& inputs,
    const std::vector<InferRequestedOutput>& outputs) {
  for (const auto& input : inputs) RETURN_IF_ERROR(input.Validate());
  return std::make_shared<const GenericPreparedInfer>(options, inputs, outputs);
}

void InferenceClient::AsyncInferPrepared(std::shared_ptr<const PreparedInfer> request,
                                         StatusCallback callback) {
  const auto* generic = dynamic_cast<const GenericPreparedInfer*>(request.get());
  if (generic == nullptr) {
    return callback(absl::InvalidArgumentError("the request was prepared by another client"));
  }
  AsyncInfer([request, callback = std::move(callback)](
                 StatusOr<InferResult> result) { callback(result.status()); },
             generic->options, generic->inputs, generic->outputs);
}

StatusOr<std::unique_ptr<InferenceClient>> CreateClient(Protocol protocol,
                                                        const ClientOptions& options) {
  const HostPort address = ParseUrl(options.url, protocol == Protocol::kHttp ? 8000 : 8001);
  if (address.host.empty() || address.port <= 0 || address.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("bad server URL '", options.url, "'"));
  }
  RETURN_IF_ERROR(CheckTlsFiles(options));  // a bad file is reported now, not per request
  if (protocol == Protocol::kHttp) return std::make_unique<HttpClient>(options);
  return std::make_unique<GrpcClient>(options);
}

StatusOr<Protocol> ParseProtocol(const std::string& name) {
  if (name == "http" || name == "HTTP") return Protocol::kHttp;
  if (name == "grpc" || name == "gRPC" || name == "GRPC") return Protocol::kGrpc;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown protocol '", name, "' (use http or grpc)"));
}

}  // namespace inferd::client
