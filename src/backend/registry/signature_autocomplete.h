// Config auto-complete from a model file's signature, as Triton's ONNX Runtime backend does it
// (AutoCompleteMaxBatch, AutoCompleteIO): a building block for any registered backend whose model
// file declares its inputs and outputs. Called only when the config lacks inputs or outputs.
//
//  - The model can batch iff every input and output has rank >= 1 and a -1 first dimension. If it
//    can and max_batch_size is 0, it becomes hints.default_max_batch_size (Triton's
//    --backend-config=onnxruntime,default-max-batch-size); if then max_batch_size > 1 and no
//    scheduling is set, an empty dynamic_batching {} is added. A model that cannot batch with
//    max_batch_size != 0 is an error.
//  - Inputs (outputs) are filled, in model order, only when the config has none. Filled dims omit
//    the batch dimension when max_batch_size > 0; a scalar becomes dims [ 1 ] (with
//    reshape { shape: [] } when batching).
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "backend/registry/backend_registry.h"
#include "common/status.h"
#include "core/model_signature.h"
#include "model_config.pb.h"

namespace inferd::backend {

// True when every input and output has rank >= 1 and a variable (-1) first dimension.
bool SignatureSupportsBatching(const core::ModelSignature& signature);

// Fits BackendRegistration::auto_complete.
Status CompleteFromSignature(const core::ModelSignature& signature, const AutoCompleteHints& hints,
                             ::inference::ModelConfig& config);

}  // namespace inferd::backend
