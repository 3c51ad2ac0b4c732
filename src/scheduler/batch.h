// Batch gather/scatter for the dynamic batcher. Requests are concatenated along dimension 0
// into buffers pooled per instance (BYTES tensors concatenate directly, their layout being
// length-prefixed elements); batch outputs are split back per request as zero-copy views that
// share the batch output's owner (BYTES outputs are split by walking their elements).
//
// GatherPool: owned by one instance worker; not thread-safe. The free functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/status.h"
#include "core/inference_request.h"
#include "core/tensor.h"

namespace inferd::scheduler {

// What a request counts towards max_batch_size: dimension 0 of its first input when the model
// batches, else 1.
int64_t RequestBatchSize(const core::InferenceRequest& request, bool model_batches);

// True when `other` may join a batch whose first request is `first`: the same inputs (names,
// types, shapes except dimension 0) in the same order, and the same requested outputs.
bool CanBatch(const core::InferenceRequest& first, const core::InferenceRequest& other);

class GatherPool {
 public:
  // Concatenates input i of every request into one tensor per input, batch dimension `total`.
  // A buffer is reused across batches unless a previous batch's tensor still holds it (then a
  // fresh one replaces it), so the pool keeps one buffer per input, sized to the largest batch.
  std::vector<core::Tensor> Gather(std::span<const core::InferenceRequest* const> requests,
                                   int64_t total);

 private:
  std::vector<std::shared_ptr<std::vector<std::byte>>> buffers_;
};

// Splits each batch output along dimension 0 into `sizes.size()` parts of sizes[k] rows.
// result[k] are request k's outputs. Internal when an output's batch dimension does not match.
StatusOr<std::vector<std::vector<core::Tensor>>> Scatter(std::span<const core::Tensor> outputs,
                                                         std::span<const int64_t> sizes);

}  // namespace inferd::scheduler
