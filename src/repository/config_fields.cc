#include "repository/config_fields.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace inferd::repository {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ParseInfoTree = google::protobuf::TextFormat::ParseInfoTree;

constexpr FieldSupport kOk = FieldSupport::kSupported;
constexpr FieldSupport kIgnore = FieldSupport::kIgnored;
constexpr FieldSupport kRefuse = FieldSupport::kRefused;

// Ignoring a field is only allowed when the model still computes the same results without it
// (a performance hint, GPU placement details, metadata); anything that changes what a request
// returns, or that needs a runtime inferd does not have, is refused.
constexpr std::array kConfigFieldRules = {
    FieldRule{"name", kOk, ""},
    FieldRule{"platform", kOk, ""},
    FieldRule{"backend", kOk, ""},
    FieldRule{"runtime", kIgnore,
              "inferd's backends are built in; the backend is chosen by "
              "`backend`/`platform`"},
    FieldRule{"version_policy", kOk, ""},
    FieldRule{"version_policy.latest", kOk, ""},
    FieldRule{"version_policy.latest.num_versions", kOk, ""},
    FieldRule{"version_policy.all", kOk, ""},
    FieldRule{"version_policy.specific", kOk, ""},
    FieldRule{"version_policy.specific.versions", kOk, ""},
    FieldRule{"max_batch_size", kOk, ""},
    FieldRule{"input", kOk, ""},
    FieldRule{"input.name", kOk, ""},
    FieldRule{"input.data_type", kOk, ""},
    FieldRule{"input.format", kIgnore,
              "kept in the model's config but not used; an image "
              "model's layout comes from its pipeline.json"},
    FieldRule{"input.dims", kOk, ""},
    FieldRule{"input.reshape", kOk, ""},
    FieldRule{"input.reshape.shape", kOk, ""},
    FieldRule{"input.is_shape_tensor", kRefuse, "shape tensors are a TensorRT feature"},
    FieldRule{"input.allow_ragged_batch", kIgnore,
              "inferd batches only requests of the same shape; others run in separate batches"},
    FieldRule{"input.optional", kOk, ""},
    FieldRule{"input.is_non_linear_format_io", kIgnore, "a TensorRT feature"},
    FieldRule{"output", kOk, ""},
    FieldRule{"output.name", kOk, ""},
    FieldRule{"output.data_type", kOk, ""},
    FieldRule{"output.dims", kOk, ""},
    FieldRule{"output.reshape", kOk, ""},
    FieldRule{"output.reshape.shape", kOk, ""},
    FieldRule{"output.label_filename", kOk, ""},
    FieldRule{"output.is_shape_tensor", kRefuse, "shape tensors are a TensorRT feature"},
    FieldRule{"output.is_non_linear_format_io", kIgnore, "a TensorRT feature"},
    FieldRule{"batch_input", kRefuse,
              "inferd does not build batch input tensors (ragged batching)"},
    FieldRule{"batch_output", kRefuse, "inferd does not scatter batch output tensors"},
    FieldRule{"optimization", kOk, ""},
    FieldRule{"optimization.graph", kOk, ""},
    FieldRule{"optimization.graph.level", kOk, ""},
    FieldRule{"optimization.priority", kIgnore, "every model is scheduled alike"},
    FieldRule{"optimization.cuda", kIgnore, "CUDA graphs and streams apply to GPUs only"},
    FieldRule{"optimization.execution_accelerators", kOk, ""},
    FieldRule{"optimization.execution_accelerators.gpu_execution_accelerator", kIgnore,
              "TensorRT and other GPU accelerators are not available; ONNX Runtime's default "
              "execution provider runs the model"},
    FieldRule{"optimization.execution_accelerators.cpu_execution_accelerator", kIgnore,
              "OpenVINO is not available; ONNX Runtime's CPU execution provider runs the model"},
    FieldRule{"optimization.input_pinned_memory", kIgnore, "pinned memory applies to GPUs only"},
    FieldRule{"optimization.output_pinned_memory", kIgnore, "pinned memory applies to GPUs only"},
    FieldRule{"optimization.gather_kernel_buffer_threshold", kIgnore, "a GPU copy kernel setting"},
    FieldRule{"optimization.eager_batching", kIgnore, "batches form as the dynamic batcher says"},
    FieldRule{"dynamic_batching", kOk, ""},
    FieldRule{"dynamic_batching.preferred_batch_size", kOk, ""},
    FieldRule{"dynamic_batching.max_queue_delay_microseconds", kOk, ""},
    FieldRule{"dynamic_batching.preserve_ordering", kOk, ""},
    FieldRule{"dynamic_batching.priority_levels", kOk, ""},
    FieldRule{"dynamic_batching.default_priority_level", kOk, ""},
    FieldRule{"dynamic_batching.default_queue_policy", kOk, ""},
    FieldRule{"dynamic_batching.default_queue_policy.timeout_action", kOk, ""},
    FieldRule{"dynamic_batching.default_queue_policy.default_timeout_microseconds", kOk, ""},
    FieldRule{"dynamic_batching.default_queue_policy.allow_timeout_override", kOk, ""},
    FieldRule{"dynamic_batching.default_queue_policy.max_queue_size", kOk, ""},
    FieldRule{"dynamic_batching.priority_queue_policy", kOk, ""},
    FieldRule{"sequence_batching", kRefuse,
              "stateful (sequence) models are not supported; serve this model with Triton"},
    FieldRule{"ensemble_scheduling", kOk, ""},
    FieldRule{"ensemble_scheduling.step", kOk, ""},
    FieldRule{"ensemble_scheduling.step.model_name", kOk, ""},
    FieldRule{"ensemble_scheduling.step.model_version", kOk, ""},
    FieldRule{"ensemble_scheduling.step.input_map", kOk, ""},
    FieldRule{"ensemble_scheduling.step.output_map", kOk, ""},
    FieldRule{"ensemble_scheduling.step.model_namespace", kRefuse,
              "model namespacing is not supported: a step names a model of the repository"},
    FieldRule{"ensemble_scheduling.max_inflight_requests", kIgnore,
              "ensemble requests are bounded by --max-inflight like every request"},
    FieldRule{"instance_group", kOk, ""},
    FieldRule{"instance_group.name", kOk, ""},
    FieldRule{"instance_group.kind", kOk, ""},
    FieldRule{"instance_group.count", kOk, ""},
    FieldRule{"instance_group.rate_limiter", kIgnore, "inferd has no rate limiter"},
    FieldRule{"instance_group.gpus", kOk, ""},
    FieldRule{"instance_group.secondary_devices", kIgnore, "NVDLA devices are a TensorRT feature"},
    FieldRule{"instance_group.profile", kIgnore, "TensorRT optimization profiles"},
    FieldRule{"instance_group.passive", kIgnore,
              "every instance receives requests; passive instances are not held back"},
    FieldRule{"instance_group.host_policy", kIgnore, "inferd has no host policies"},
    FieldRule{"default_model_filename", kOk, ""},
    FieldRule{"cc_model_filenames", kIgnore,
              "per-GPU model files; the default model file is loaded"},
    FieldRule{"metric_tags", kIgnore, "metrics carry the model and version labels only"},
    FieldRule{"parameters", kOk, ""},
    FieldRule{"model_warmup", kOk, ""},
    FieldRule{"model_warmup.name", kOk, ""},
    FieldRule{"model_warmup.batch_size", kOk, ""},
    FieldRule{"model_warmup.inputs", kOk, ""},
    FieldRule{"model_warmup.count", kOk, ""},
    FieldRule{"model_operations", kRefuse, "custom operation libraries cannot be loaded"},
    FieldRule{"model_transaction_policy", kOk, ""},
    FieldRule{"model_transaction_policy.decoupled", kRefuse,
              "decoupled models (zero or many responses per request) are not supported"},
    FieldRule{"model_repository_agents", kRefuse,
              "repository agents (checksum, decryption) are not run, so the model would be "
              "loaded unchecked"},
    FieldRule{"response_cache", kOk, ""},
    FieldRule{"response_cache.enable", kIgnore, "inferd has no response cache"},
    FieldRule{"model_metrics", kIgnore,
              "histogram buckets are set by --metrics-latency-buckets-us"},
};

struct FieldWalk {
  std::string_view file_name;
  std::vector<ConfigFinding>* findings;
  std::vector<std::tuple<int, int, size_t>> order;  // line, column, index into findings
};

std::string FieldWhere(std::string_view file_name, const ParseInfoTree* tree,
                       const FieldDescriptor* field, int index, int* line, int* column) {
  *line = -1;
  *column = -1;
  if (tree != nullptr) {
    const auto location = tree->GetLocation(field, index);
    *line = location.line;
    *column = location.column;
  }
  if (*line < 0) return std::string(file_name);
  return absl::StrCat(std::string(file_name), ":", *line + 1, ":", *column + 1);
}

void WalkConfigFields(const Message& message, const std::string& prefix, const ParseInfoTree* tree,
                      FieldWalk& walk) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path =
        prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    const FieldRule* rule = FindFieldRule(path);
    const int count = field->is_repeated() ? message.GetReflection()->FieldSize(message, field) : 1;
    if (rule == nullptr || rule->support != FieldSupport::kSupported) {
      // An unlisted field is refused: a proto field without a decision must not pass silently.
      const FieldSupport support = rule == nullptr ? FieldSupport::kRefused : rule->support;
      const std::string why =
          rule == nullptr ? "inferd does not support it" : std::string(rule->why);
      int line = 0;
      int column = 0;
      const std::string where =
          FieldWhere(walk.file_name, tree, field, field->is_repeated() ? 0 : -1, &line, &column);
      walk.order.emplace_back(line, column, walk.findings->size());
      walk.findings->push_back(
          {support, path, where,
           absl::StrCat(
               where, ": ", path,
               support == FieldSupport::kIgnored ? " is ignored: " : " is not supported: ", why)});
      continue;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_map()) continue;
    for (int i = 0; i < count; ++i) {
      const int index = field->is_repeated() ? i : -1;
      const Message& child = field->is_repeated()
                                 ? message.GetReflection()->GetRepeatedMessage(message, field, i)
                                 : message.GetReflection()->GetMessage(message, field);
      const ParseInfoTree* nested =
          tree == nullptr ? nullptr : tree->GetTreeForNested(field, index);
      WalkConfigFields(child, path, nested, walk);
    }
  }
}

}  // namespace

std::string_view FieldSupportName(FieldSupport support) {
  switch (support) {
    case FieldSupport::kSupported:
      return "supported";
    case FieldSupport::kIgnored:
      return "ignored";
    case FieldSupport::kRefused:
      return "refused";
  }
  return "refused";
}

std::span<const FieldRule> ConfigFieldRules() { return kConfigFieldRules; }

const FieldRule* FindFieldRule(std::string_view path) {
  for (const FieldRule& rule : kConfigFieldRules) {
    if (rule.path == path) return &rule;
  }
  return nullptr;
}

std::vector<ConfigFinding> CheckConfigFields(const ::inference::ModelConfig& config,
                                             std::string_view file_name,
                                             const ParseInfoTree* locations) {
  std::vector<ConfigFinding> found;
  FieldWalk walk{file_name, &found, {}};
  WalkConfigFields(config, "", locations, walk);
  // Reflection lists fields by number; a reader fixes a file top to bottom.
  std::stable_sort(walk.order.begin(), walk.order.end());
  std::vector<ConfigFinding> ordered;
  ordered.reserve(found.size());
  for (const auto& [line, column, index] : walk.order) ordered.push_back(found[index]);
  return ordered;
}

Status RefusedFieldsStatus(const std::vector<ConfigFinding>& findings) {
  std::vector<std::string> refused;
  for (const auto& finding : findings) {
    if (finding.support == FieldSupport::kRefused) refused.push_back(finding.message);
  }
  if (refused.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(refused, "\n"));
}

}  // namespace inferd::repository
