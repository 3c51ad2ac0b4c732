#include "frontend/grpc/output_classification.h"

#include <utility>

#include "preprocess/classification.h"

namespace inferd::frontend::grpc {

StatusOr<ClassificationPlan> PlanClassification(const preprocess::ModelAssetCache* assets,
                                                const core::InferenceRequest& request,
                                                const std::vector<OutputClassification>& wanted) {
  static const preprocess::Labels kNoLabels;
  ClassificationPlan plan;
  if (assets != nullptr && !wanted.empty()) {
    ASSIGN_OR_RETURN(plan.assets, assets->Get(request.model_name, request.model_version));
  }
  for (const auto& output : wanted) {
    const preprocess::Labels* labels = &kNoLabels;
    if (plan.assets) {
      ASSIGN_OR_RETURN(labels, plan.assets->LabelsOf(output.output));
    }
    plan.outputs.push_back({output.output, output.count, labels});
  }
  return plan;
}

Status ApplyClassification(const ClassificationPlan& plan, core::InferenceResponse& response) {
  for (const auto& wanted : plan.outputs) {
    for (auto& output : response.outputs) {
      if (output.name != wanted.name) continue;
      ASSIGN_OR_RETURN(output, preprocess::Classify(output, wanted.count, *wanted.labels));
    }
  }
  return absl::OkStatus();
}

}  // namespace inferd::frontend::grpc
