// The dataflow of an ensemble (`platform: "ensemble"`, `ensemble_scheduling { step [...] }`) read
// from its config alone: which model each step runs, which ensemble tensor feeds each step input
// (`input_map`: step input -> ensemble tensor) and which ensemble tensor each step output
// becomes (`output_map`: step output -> ensemble tensor). BuildEnsembleGraph checks everything
// that needs no other model: every tensor is produced exactly once (by an ensemble input or one
// step), every step input and ensemble output is produced, and the steps can run in some order
// (no cycle). What needs the step models (their inputs, outputs, types, batching) is checked
// when the ensemble loads, against the versions that serve then.
//
// Used by the ensemble's registration (a config check before anything loads) and by the
// ensemble scheduler. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::core {

struct EnsembleGraphStep {
  std::string model;
  int64_t version = 0;  // 0 = the highest ready version (model_version -1, or unset)
  // (step tensor, ensemble tensor), sorted by step tensor.
  std::vector<std::pair<std::string, std::string>> inputs;
  std::vector<std::pair<std::string, std::string>> outputs;
};

struct EnsembleGraph {
  std::vector<EnsembleGraphStep> steps;  // in config order
  // Step indices in an order where every step's inputs are produced before it runs.
  std::vector<size_t> order;
};

// True when the config describes an ensemble (it has `ensemble_scheduling`).
bool IsEnsemble(const ::inference::ModelConfig& config);

// InvalidArgument naming the step (1-based, with its model) and the tensor at fault.
StatusOr<EnsembleGraph> BuildEnsembleGraph(const ::inference::ModelConfig& config);

// "step 2 (model 'm')", for messages.
std::string EnsembleStepName(const EnsembleGraph& graph, size_t step);

}  // namespace inferd::core
