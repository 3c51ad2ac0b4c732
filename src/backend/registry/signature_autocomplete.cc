#include "backend/registry/signature_autocomplete.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/data_type.h"
#include "core/shape.h"

namespace inferd::backend {
namespace {

using ::inference::ModelConfig;

// Describes the first tensor that prevents batching, for error messages; nullopt if none does.
std::optional<std::string> FirstNonBatchingTensor(const core::ModelSignature& signature) {
  auto describe = [](const char* what, const core::TensorSpec& t) -> std::optional<std::string> {
    if (!t.dims.empty() && t.dims[0] == -1) return std::nullopt;
    return absl::StrCat(what, " '", t.name, "' has shape ", core::ShapeToString(t.dims),
                        t.dims.empty() ? " (a scalar)" : " whose first dimension is fixed");
  };
  for (const auto& t : signature.inputs) {
    if (auto d = describe("input", t)) return d;
  }
  for (const auto& t : signature.outputs) {
    if (auto d = describe("output", t)) return d;
  }
  return std::nullopt;
}

// Triton's ONNX Runtime backend AutoCompleteMaxBatch.
Status CompleteMaxBatch(const core::ModelSignature& signature, const AutoCompleteHints& hints,
                        ModelConfig& config) {
  if (const auto blocker = FirstNonBatchingTensor(signature)) {
    if (config.max_batch_size() != 0) {
      return absl::InvalidArgumentError(absl::StrCat("max_batch_size is ", config.max_batch_size(),
                                                     " but the model cannot batch: its ", *blocker,
                                                     "; set max_batch_size: 0"));
    }
    return absl::OkStatus();
  }
  if (config.max_batch_size() == 0) {
    config.set_max_batch_size(std::max(hints.default_max_batch_size, 0));
  }
  if (config.max_batch_size() > 1 && !config.has_dynamic_batching()) {
    config.mutable_dynamic_batching();  // present and empty: batch with the defaults
  }
  return absl::OkStatus();
}

// Triton's ONNX Runtime backend AutoCompleteIO: model order, batch dimension dropped when the
// config batches, a scalar written as dims [ 1 ].
template <typename IO>
Status FillIO(const char* what, const std::vector<core::TensorSpec>& specs, int32_t max_batch_size,
              google::protobuf::RepeatedPtrField<IO>* ios) {
  for (const auto& spec : specs) {
    const ::inference::DataType type = core::ToConfigType(spec.dtype);
    if (type == ::inference::TYPE_INVALID) {
      return absl::InvalidArgumentError(absl::StrCat("the model's ", what, " '", spec.name,
                                                     "' has an element type inferd cannot serve"));
    }
    IO* io = ios->Add();
    io->set_name(spec.name);
    io->set_data_type(type);
    const size_t first = max_batch_size > 0 ? 1 : 0;
    for (size_t i = first; i < spec.dims.size(); ++i) io->add_dims(spec.dims[i]);
    if (io->dims().empty()) {
      io->add_dims(1);
      // An empty reshape means "scalar per batch item", which only exists when batching.
      if (max_batch_size > 0) io->mutable_reshape();
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool SignatureSupportsBatching(const core::ModelSignature& signature) {
  return !FirstNonBatchingTensor(signature).has_value();
}

Status CompleteFromSignature(const core::ModelSignature& signature, const AutoCompleteHints& hints,
                             ModelConfig& config) {
  const bool fill_inputs = config.input().empty();
  const bool fill_outputs = config.output().empty();
  if (!fill_inputs && !fill_outputs) return absl::OkStatus();
  RETURN_IF_ERROR(CompleteMaxBatch(signature, hints, config));
  if (fill_inputs) {
    RETURN_IF_ERROR(
        FillIO("input", signature.inputs, config.max_batch_size(), config.mutable_input()));
  }
  if (fill_outputs) {
    RETURN_IF_ERROR(
        FillIO("output", signature.outputs, config.max_batch_size(), config.mutable_output()));
  }
  return absl::OkStatus();
}

}  // namespace inferd::backend
