// TF Serving REST predict bodies (row `instances` and columnar `inputs`) against a single-input
// and a multi-input model, and the predict response of an echo of the decoded tensors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "frontend/http/tfserving_codec.h"
#include "fuzz_models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  inferd::frontend::http::DecodeLimits limits;
  limits.max_input_size = inferd::fuzz::kFuzzMaxBytes;
  for (const auto& inputs : inferd::fuzz::FuzzSignatures()) {
    auto decoded = inferd::frontend::http::DecodeTfsPredictRequest(body, inputs, limits);
    if (!decoded.ok()) continue;
    inferd::core::InferenceResponse response;
    response.outputs = decoded->inputs;
    (void)inferd::frontend::http::EncodeTfsPredictResponse(response, decoded->format,
                                                           decoded->batch_size);
  }
  return 0;
}
