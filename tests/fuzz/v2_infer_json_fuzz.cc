// KServe v2 REST infer request, JSON only (no Inference-Header-Content-Length).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "v2_infer_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  inferd::fuzz::DecodeV2InferRequest(std::string_view(reinterpret_cast<const char*>(data), size),
                                     std::nullopt);
  return 0;
}
