// TorchServe management parameters mapped onto a model's config (frontend/http/
// torchserve_management.cc): the instance count of min_worker / initial_workers, and register's
// batch_size / max_batch_delay. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::frontend::http {

// TorchServe's register parameters inferd maps onto the model's config (applied by a reload right
// after the first load): initial_workers -> the instance count, batch_size -> max_batch_size,
// max_batch_delay (ms) -> dynamic_batching max_queue_delay_microseconds. Unset fields stay as the
// repository's config has them.
struct RegisterParams {
  std::optional<int32_t> workers;
  std::optional<int32_t> batch_size;
  std::optional<int64_t> max_delay_ms;
  bool any() const { return workers || batch_size || max_delay_ms; }
};

// One instance group (the first one's settings, else defaults) with `count` instances.
void SetInstanceCount(::inference::ModelConfig& config, int32_t count);

// Applies `params` to `config`; InvalidArgument when batching settings are asked of a model whose
// config does not batch (max_batch_size 0). Preferred batch sizes over a new batch_size go.
Status ApplyRegisterParams(const RegisterParams& params, ::inference::ModelConfig& config);

}  // namespace inferd::frontend::http
