// Output comparison of `inferd smoke --compare-*`: per output, the largest absolute element
// difference over the samples and, for classification outputs (numeric, last dimension > 1), how
// often the two sides pick the same class (argmax over the last dimension). Not thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "client/infer_types.h"
#include "common/status.h"

namespace inferd::tools {

struct OutputComparison {
  std::string name;
  double max_abs_diff = 0;
  bool classification = false;
  int rows = 0;          // classification rows compared (samples x batch)
  int agreed = 0;        // rows whose top-1 class agrees
  std::string mismatch;  // a shape/datatype/missing-output difference, when any
};

// The output's elements as doubles; InvalidArgument for BYTES.
StatusOr<std::vector<double>> ToDoubles(const client::InferResult::Output& output);

class OutputComparer {
 public:
  // Adds one sample's two results to the tally.
  void Add(const client::InferResult& a, const client::InferResult& b);
  std::vector<OutputComparison> Results() const;

 private:
  std::map<std::string, OutputComparison> by_name_;
};

}  // namespace inferd::tools
