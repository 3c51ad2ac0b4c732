// What a model file declares about its inputs and outputs, as a backend reads it from the file
// (names, element types, full shapes with -1 for dynamic dimensions, batch dimension included).
// Used by the repository to auto-complete and validate config.pbtxt. A value type.
#pragma once

#include <string>
#include <vector>

#include "core/data_type.h"
#include "core/shape.h"

namespace inferd::core {

struct TensorSpec {
  std::string name;
  DataType dtype = DataType::kInvalid;
  Shape dims;  // full shape; -1 = dynamic
};

struct ModelSignature {
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

}  // namespace inferd::core
