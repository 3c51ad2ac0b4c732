#include "frontend/http/kserve/infer_handler.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "boost/beast/http/field.hpp"
#include "frontend/http/infer_response_codec.h"
#include "preprocess/classification.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
constexpr boost::beast::string_view kHeaderLengthField = "Inference-Header-Content-Length";

// Labels of each output the client asked to classify (KServe classification extension).
using ClassLabels = std::map<std::string, preprocess::Labels, std::less<>>;

StatusOr<ClassLabels> LoadClassLabels(const preprocess::ModelAssetCache* assets,
                                      const core::InferenceRequest& request,
                                      const OutputEncoding& encoding) {
  ClassLabels labels;
  std::shared_ptr<const preprocess::ModelAssets> loaded;
  for (const auto& wanted : encoding.requested) {
    if (wanted.classification <= 0) continue;
    labels[wanted.name];
    if (assets == nullptr) continue;
    if (!loaded) {
      ASSIGN_OR_RETURN(loaded, assets->Get(request.model_name, request.model_version));
    }
    ASSIGN_OR_RETURN(const preprocess::Labels* found, loaded->LabelsOf(wanted.name));
    labels[wanted.name] = *found;
  }
  return labels;
}

Status ApplyClassification(core::InferenceResponse& response, const OutputEncoding& encoding,
                           const ClassLabels& labels) {
  for (const auto& wanted : encoding.requested) {
    if (wanted.classification <= 0) continue;
    for (auto& output : response.outputs) {
      if (output.name != wanted.name) continue;
      ASSIGN_OR_RETURN(output,
                       preprocess::Classify(output, wanted.classification, labels.at(wanted.name)));
    }
  }
  return absl::OkStatus();
}

HttpResponse ToHttpResponse(StatusOr<core::InferenceResponse> result,
                            const OutputEncoding& encoding, const ClassLabels& labels) {
  if (!result.ok()) return ErrorResponse(result.status());
  if (!labels.empty()) {
    if (Status s = ApplyClassification(*result, encoding, labels); !s.ok()) return ErrorResponse(s);
  }
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
                 const preprocess::ModelAssetCache* assets,
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
  auto labels = LoadClassLabels(assets, *decoded->request, decoded->encoding);
  if (!labels.ok()) {
    std::move(respond)(ErrorResponse(labels.status()));
    return;
  }
  decoded->request->cancellation = std::move(cancel);
  service.Infer(std::move(decoded->request),
                [encoding = std::move(decoded->encoding), labels = *std::move(labels),
                 respond = std::move(respond)](StatusOr<core::InferenceResponse> result) mutable {
                  std::move(respond)(ToHttpResponse(std::move(result), encoding, labels));
                });
}

}  // namespace inferd::frontend::http
