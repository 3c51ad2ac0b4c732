#include "fuzz_models.h"

#include <cstdlib>
#include <string>

#include "google/protobuf/text_format.h"

namespace inferd::fuzz {
namespace {

constexpr const char* kConfigTexts[] = {
    // Batching, numeric inputs, one with a reshape, one optional.
    R"pb(name: "m"
         max_batch_size: 8
         input {
           name: "INPUT0"
           data_type: TYPE_FP32
           dims: [ 4 ]
         }
         input {
           name: "INPUT1"
           data_type: TYPE_INT64
           dims: [ -1 ]
         }
         input {
           name: "IMG"
           data_type: TYPE_UINT8
           dims: [ 2, 2 ]
           reshape { shape: [ 4 ] }
           optional: true
         }
         output {
           name: "OUTPUT0"
           data_type: TYPE_FP32
           dims: [ 4 ]
         })pb",
    // No batching; BYTES, FP16, BF16, BOOL and FP64.
    R"pb(name: "m"
         max_batch_size: 0
         input {
           name: "TEXT"
           data_type: TYPE_STRING
           dims: [ -1 ]
         }
         input {
           name: "HALF"
           data_type: TYPE_FP16
           dims: [ 2, -1 ]
           optional: true
         }
         input {
           name: "BF"
           data_type: TYPE_BF16
           dims: [ 2 ]
           optional: true
         }
         input {
           name: "FLAG"
           data_type: TYPE_BOOL
           dims: [ 1 ]
           optional: true
         }
         input {
           name: "D"
           data_type: TYPE_FP64
           dims: [ -1, -1 ]
           optional: true
         }
         output {
           name: "OUT"
           data_type: TYPE_STRING
           dims: [ -1 ]
         })pb",
};

}  // namespace

const std::vector<::inference::ModelConfig>& FuzzConfigs() {
  static const auto* configs = [] {
    auto* parsed = new std::vector<::inference::ModelConfig>();
    for (const char* text : kConfigTexts) {
      ::inference::ModelConfig config;
      if (!google::protobuf::TextFormat::ParseFromString(text, &config)) std::abort();
      parsed->push_back(std::move(config));
    }
    return parsed;
  }();
  return *configs;
}

const std::vector<std::vector<core::TensorSpec>>& FuzzSignatures() {
  using core::DataType;
  static const auto* signatures = new std::vector<std::vector<core::TensorSpec>>{
      {{"INPUT0", DataType::kFp32, {-1, 4}}},  // one input: bare values are allowed
      {{"INPUT0", DataType::kFp32, {-1, 4}},
       {"INPUT1", DataType::kInt64, {-1, -1}},
       {"TEXT", DataType::kBytes, {-1}},
       {"HALF", DataType::kFp16, {-1, 2}},
       {"FLAG", DataType::kBool, {-1}},
       {"U8", DataType::kUint8, {-1, 2, 2}},
       {"D", DataType::kFp64, {-1}}},
  };
  return *signatures;
}

core::InferenceResponse EchoResponse(const core::InferenceRequest& request) {
  core::InferenceResponse response;
  response.model_name = request.model_name;
  response.model_version = request.model_version == 0 ? 1 : request.model_version;
  response.id = request.id;
  response.outputs = request.inputs;
  return response;
}

}  // namespace inferd::fuzz
