// TorchServe JSON prediction bodies (/predictions/{m}[/{v}]): the body is parsed as the handler
// does (depth-limited JSON, then the columnar value against the model's inputs, for a
// single-input and a multi-input model) and the decoded tensors are written back as the
// response's outputs. The version segment parser gets the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "frontend/http/json_parse.h"
#include "frontend/http/tfserving_codec.h"
#include "frontend/http/torchserve/torchserve_handlers.h"
#include "fuzz_models.h"
#include "rapidjson/stringbuffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = inferd::frontend::http;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)http::ParseTorchServeVersion(body);
  for (const auto& inputs : inferd::fuzz::FuzzSignatures()) {
    auto doc = http::ParseJson(body);
    if (!doc.ok()) return 0;
    auto tensors =
        http::DecodeColumnarValue(*doc, doc->GetAllocator(), inputs, inferd::fuzz::kFuzzMaxBytes);
    if (!tensors.ok()) continue;
    rapidjson::StringBuffer buffer;
    http::JsonWriter writer(buffer);
    (void)http::WriteColumnarValue(*tensors, writer);
  }
  return 0;
}
