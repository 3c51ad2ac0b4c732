#include "frontend/http/torchserve/torchserve_config_edits.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::frontend::http {

void SetInstanceCount(::inference::ModelConfig& config, int32_t count) {
  ::inference::ModelInstanceGroup group;
  if (!config.instance_group().empty()) group = config.instance_group(0);
  group.set_count(count);
  config.clear_instance_group();
  *config.add_instance_group() = std::move(group);
}

Status ApplyRegisterParams(const RegisterParams& params, ::inference::ModelConfig& config) {
  if (params.workers) SetInstanceCount(config, *params.workers);
  const bool batching = params.batch_size.value_or(1) > 1 || params.max_delay_ms.value_or(0) > 0;
  if (batching && config.max_batch_size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch_size and max_batch_delay need a model that batches; '", config.name(),
                     "' has max_batch_size 0 in its config"));
  }
  if (params.batch_size && config.max_batch_size() > 0) {
    config.set_max_batch_size(*params.batch_size);
    auto* db = config.mutable_dynamic_batching();
    auto sizes = db->preferred_batch_size();
    db->clear_preferred_batch_size();
    for (int32_t size : sizes) {
      if (size <= *params.batch_size) db->add_preferred_batch_size(size);
    }
  }
  if (params.max_delay_ms) {
    config.mutable_dynamic_batching()->set_max_queue_delay_microseconds(
        static_cast<uint64_t>(*params.max_delay_ms) * 1000);
  }
  return absl::OkStatus();
}

}  // namespace inferd::frontend::http
