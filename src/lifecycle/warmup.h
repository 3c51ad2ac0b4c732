// Model warmup (Triton's `model_warmup`): runs each configured sample `count` times on every
// instance of a freshly loaded version, before it is marked READY, so the first real requests do
// not pay for lazy allocations and kernel selection.
//
// Sample data: zero_data, random_data, or input_data_file (raw bytes, in the model's
// `warmup/` folder as in Triton; a file resolving outside the model's folder, through `..` or a
// symbolic link, is refused unless `allow_outside`). Pure function of its arguments; runs on the
// loading thread.
#pragma once

#include <filesystem>
#include <memory>
#include <span>

#include "backend/backend.h"
#include "common/status.h"
#include "core/cancellation.h"
#include "model_config.pb.h"

namespace inferd::lifecycle {

// `cancel` is checked before every execution (a sample's count can be up to 2^32): Cancelled
// once it is set. InvalidArgument naming the sample for a malformed sample; the backend's error
// when a run fails.
Status RunWarmup(const ::inference::ModelConfig& config, const std::filesystem::path& model_dir,
                 std::span<const std::unique_ptr<backend::Instance>> instances,
                 bool allow_outside = false,
                 const core::CancellationFlag& cancel = core::CancellationFlag{});

}  // namespace inferd::lifecycle
