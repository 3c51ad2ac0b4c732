// config.pbtxt as the repository loads it: parse (protobuf text format), then validate on its own,
// bound the instance count, and auto-complete + validate against two model signatures (one that
// can batch, one that cannot), as a load does. The same bytes also go through the JSON form of a
// config (the load API's `parameters.config`).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/model_signature.h"
#include "repository/config_autocomplete.h"
#include "repository/config_validation.h"
#include "repository/model_config.h"

namespace {

using inferd::core::DataType;

const inferd::core::ModelSignature& BatchingSignature() {
  static const auto* signature = new inferd::core::ModelSignature{
      {{"INPUT0", DataType::kFp32, {-1, 16}}, {"INPUT1", DataType::kFp32, {-1, 16}}},
      {{"OUTPUT0", DataType::kFp32, {-1, 16}}, {"OUTPUT1", DataType::kFp32, {-1, 16}}}};
  return *signature;
}

const inferd::core::ModelSignature& FixedSignature() {
  static const auto* signature = new inferd::core::ModelSignature{
      {{"image", DataType::kUint8, {1, 3, 8, 8}}, {"text", DataType::kBytes, {-1}}},
      {{"scores", DataType::kFp32, {1, 10}}}};
  return *signature;
}

void CheckConfig(const ::inference::ModelConfig& config) {
  (void)inferd::repository::ValidateConfig(config);
  (void)inferd::repository::ValidateInstanceCount(config, 64);
  inferd::repository::AutoCompleteOptions options;
  options.model_name = "m";
  options.cpu_cores = 2;
  for (const auto* signature : {&BatchingSignature(), &FixedSignature()}) {
    // The backend part (filling tensors from the model file) is the backend's, not a parser.
    (void)inferd::repository::AutoCompleteConfig(*signature, options, config, nullptr);
    (void)inferd::repository::ValidateAgainstSignature(config, *signature);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto config = inferd::repository::ParseConfigText(text, "config.pbtxt"); config.ok()) {
    CheckConfig(*config);
  }
  if (auto config = inferd::repository::ParseConfigJson(text); config.ok()) CheckConfig(*config);
  return 0;
}
