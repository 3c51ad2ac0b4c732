#include "frontend/http/kserve/infer_handler.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "boost/beast/http/field.hpp"
#include "frontend/http/infer_response_codec.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
constexpr boost::beast::string_view kHeaderLengthField = "Inference-Header-Content-Length";

HttpResponse ToHttpResponse(StatusOr<core::InferenceResponse> result,
                            const OutputEncoding& encoding) {
  if (!result.ok()) return ErrorResponse(result.status());
  auto encoded = EncodeInferResponse(*result, encoding);
  if (!encoded.ok()) return ErrorResponse(encoded.status());
  HttpResponse response(bhttp::status::ok, 11);
  if (encoded->binary()) {
    response.set(bhttp::field::content_type, "application/octet-stream");
    response.set(kHeaderLengthField, std::to_string(*encoded->header_length));
  } else {
    response.set(bhttp::field::content_type, "application/json");
  }
  response.body() = std::move(encoded->body);
  return response;
}

}  // namespace

void HandleInfer(core::InferenceService& service, const DecodeLimits& limits,
                 std::shared_ptr<const HttpRequest> request, std::string model, int64_t version,
                 core::CancellationToken cancel, Respond respond,
                 const core::SharedMemoryRegistry* shared_memory) {
  std::optional<std::string_view> header_length;
  if (auto it = request->find(kHeaderLengthField); it != request->end()) {
    header_length = std::string_view(it->value().data(), it->value().size());
  }
  const std::string& body = request->body();
  auto decoded = DecodeInferRequest(body, request, header_length, std::move(model), version, limits,
                                    shared_memory);
  if (!decoded.ok()) {
    std::move(respond)(ErrorResponse(decoded.status()));
    return;
  }
  // The service classifies with the labels of the version that runs the request.
  for (const auto& wanted : decoded->encoding.requested) {
    if (wanted.classification > 0) {
      decoded->request->classifications.push_back({wanted.name, wanted.classification});
    }
  }
  decoded->request->cancellation = std::move(cancel);
  service.Infer(std::move(decoded->request),
                [encoding = std::move(decoded->encoding),
                 respond = std::move(respond)](StatusOr<core::InferenceResponse> result) mutable {
                  std::move(respond)(ToHttpResponse(std::move(result), encoding));
                });
}

}  // namespace inferd::frontend::http
