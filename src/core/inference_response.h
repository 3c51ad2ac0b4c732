// The result of one inference request: the resolved model version and the requested outputs, in
// the order the request asked for them (model order when it asked for all). A value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace inferd::core {

struct InferenceResponse {
  std::string model_name;
  int64_t model_version = 0;
  std::string id;
  std::vector<Tensor> outputs;
};

}  // namespace inferd::core
