// KServe v2 REST infer request with the binary tensor extension. The input is the
// Inference-Header-Content-Length value, a newline, then the body (JSON header + tensor bytes),
// so the fuzzer varies the announced length and the split together.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "v2_infer_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  inferd::fuzz::DecodeV2InferRequest(input.substr(newline + 1), input.substr(0, newline));
  return 0;
}
