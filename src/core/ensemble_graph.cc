#include "core/ensemble_graph.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

Status GraphError(const ::inference::ModelConfig& config, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat("ensemble '", config.name(), "': ", message));
}

template <typename Map>
std::vector<std::pair<std::string, std::string>> SortedPairs(const Map& map) {
  std::vector<std::pair<std::string, std::string>> out(map.begin(), map.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool IsEnsemble(const ::inference::ModelConfig& config) { return config.has_ensemble_scheduling(); }

std::string EnsembleStepName(const EnsembleGraph& graph, size_t step) {
  return absl::StrCat("step ", step + 1, " (model '", graph.steps[step].model, "')");
}

StatusOr<EnsembleGraph> BuildEnsembleGraph(const ::inference::ModelConfig& config) {
  if (!IsEnsemble(config) || config.ensemble_scheduling().step().empty()) {
    return GraphError(config, "ensemble_scheduling has no step");
  }
  EnsembleGraph graph;
  // Which ensemble tensor is produced where: -1 = an ensemble input.
  std::map<std::string, int> producer;
  for (const auto& input : config.input()) producer.emplace(input.name(), -1);
  for (const auto& step : config.ensemble_scheduling().step()) {
    EnsembleGraphStep node;
    node.model = step.model_name();
    const std::string where =
        absl::StrCat("step ", graph.steps.size() + 1, " (model '", node.model, "')");
    if (node.model.empty()) return GraphError(config, absl::StrCat(where, " has no model_name"));
    if (node.model == config.name()) {
      return GraphError(config, absl::StrCat(where, " names the ensemble itself"));
    }
    if (step.model_version() < -1) {
      return GraphError(config, absl::StrCat(where, " has model_version ", step.model_version(),
                                             "; use -1 (the latest) or a version number"));
    }
    node.version = step.model_version() < 0 ? 0 : step.model_version();  // unset (0): latest
    if (step.input_map().empty())
      return GraphError(config, absl::StrCat(where, " has no input_map"));
    if (step.output_map().empty()) {
      return GraphError(config, absl::StrCat(where, " has no output_map"));
    }
    node.inputs = SortedPairs(step.input_map());
    node.outputs = SortedPairs(step.output_map());
    const int index = static_cast<int>(graph.steps.size());
    for (const auto& [step_tensor, tensor] : node.outputs) {
      if (tensor.empty() || step_tensor.empty()) {
        return GraphError(config, absl::StrCat(where, " maps an output to an empty name"));
      }
      auto [it, inserted] = producer.emplace(tensor, index);
      if (!inserted) {
        return GraphError(
            config,
            absl::StrCat(where, " writes tensor '", tensor, "', which ",
                         it->second < 0 ? std::string("is an ensemble input")
                                        : absl::StrCat("step ", it->second + 1, " already writes"),
                         ": every ensemble tensor has exactly one producer"));
      }
    }
    graph.steps.push_back(std::move(node));
  }
  for (size_t i = 0; i < graph.steps.size(); ++i) {
    for (const auto& [step_tensor, tensor] : graph.steps[i].inputs) {
      if (!producer.contains(tensor)) {
        return GraphError(config, absl::StrCat(EnsembleStepName(graph, i), " reads tensor '",
                                               tensor, "' (for its input '", step_tensor,
                                               "'), which no ensemble input or step produces"));
      }
    }
  }
  for (const auto& output : config.output()) {
    auto it = producer.find(output.name());
    if (it == producer.end() || it->second < 0) {
      return GraphError(config, absl::StrCat("output '", output.name(),
                                             "' is not written by any step's output_map"));
    }
  }
  // Kahn's order over the tensors: a step runs once every tensor it reads exists.
  std::set<std::string> available;
  for (const auto& input : config.input()) available.insert(input.name());
  std::vector<bool> placed(graph.steps.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < graph.steps.size(); ++i) {
      if (placed[i]) continue;
      const auto& inputs = graph.steps[i].inputs;
      if (!std::all_of(inputs.begin(), inputs.end(),
                       [&](const auto& in) { return available.contains(in.second); })) {
        continue;
      }
      placed[i] = true;
      progress = true;
      graph.order.push_back(i);
      for (const auto& out : graph.steps[i].outputs) available.insert(out.second);
    }
  }
  if (graph.order.size() != graph.steps.size()) {
    const size_t stuck =
        static_cast<size_t>(std::find(placed.begin(), placed.end(), false) - placed.begin());
    return GraphError(config, absl::StrCat(EnsembleStepName(graph, stuck),
                                           " is part of a cycle: its inputs depend on its own "
                                           "outputs"));
  }
  return graph;
}

}  // namespace inferd::core
