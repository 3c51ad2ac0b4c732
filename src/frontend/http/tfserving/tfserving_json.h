// TF Serving's model status and metadata JSON bodies, built from the core facade:
//   status:   {"model_version_status": [{"version", "state", "status": {"error_code",
//              "error_message"}}]}, newest version first, states START/LOADING/AVAILABLE/
//              UNLOADING/END (a version that failed to load is END with error_code UNKNOWN)
//   metadata: {"model_spec": {...}, "metadata": {"signature_def": {"signature_def":
//              {"serving_default": {inputs, outputs, method_name}}}}} with DT_* dtypes and
//              tensor_shape dims (-1 = any size)
// Pure functions over a thread-safe facade.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/data_type.h"
#include "core/inference_service.h"

namespace inferd::frontend::http {

// `version` 0 = every version of the model. NotFound when there is none (or not that one).
StatusOr<std::string> TfsModelStatusJson(const core::InferenceService& service,
                                         std::string_view model, int64_t version);
// `version` 0 = the latest ready version.
StatusOr<std::string> TfsModelMetadataJson(const core::InferenceService& service,
                                           std::string_view model, int64_t version);

// TensorFlow's DataType enum name: DT_FLOAT, DT_STRING (BYTES), ...
const char* TfDataTypeName(core::DataType type);

}  // namespace inferd::frontend::http
