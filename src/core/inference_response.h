// The result of one inference request: the resolved model version and the requested outputs, in
// the order the request asked for them (model order when it asked for all). A value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace inferd::core {

// One class of an image request's answer, from the labels of the version that ran it.
struct ClassPrediction {
  std::string label;  // from the label file; the index as text when there is none
  int64_t index = 0;
  float score = 0;
};

struct InferenceResponse {
  std::string model_name;
  int64_t model_version = 0;
  std::string id;
  std::vector<Tensor> outputs;
  // Image requests (InferenceRequest::image): the top classes, highest first.
  std::vector<ClassPrediction> predictions;
};

}  // namespace inferd::core
