// gRPC ModelInferRequest -> core request: the input is the serialized message as it arrives on
// the wire. A message that parses is decoded (typed contents and raw_input_contents), checked
// against each fuzz model's config, and an echo of its inputs is encoded as ModelInferResponse.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/request_validator.h"
#include "frontend/grpc/infer_codec.h"
#include "fuzz_models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace grpc = inferd::frontend::grpc;
  auto message = std::make_shared<::inference::ModelInferRequest>();
  if (!message->ParseFromArray(data, static_cast<int>(size))) return 0;
  (void)grpc::ParseModelVersion(message->model_version());
  grpc::DecodeLimits limits;
  limits.max_elements = inferd::fuzz::kFuzzMaxBytes;
  auto decoded = grpc::DecodeInferRequest(message, limits);
  if (!decoded.ok()) return 0;
  {
    ::inference::ModelInferResponse out;
    (void)grpc::EncodeInferResponse(inferd::fuzz::EchoResponse(*decoded->request), out);
  }
  for (const auto& config : inferd::fuzz::FuzzConfigs()) {
    inferd::core::InferenceRequest request = *decoded->request;
    if (inferd::core::ValidateRequest(config, request).ok()) {
      ::inference::ModelInferResponse out;
      (void)grpc::EncodeInferResponse(inferd::fuzz::EchoResponse(request), out);
    }
  }
  return 0;
}
