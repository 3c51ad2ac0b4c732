// Classification, shared by every front end: the KServe/Triton classification extension (an
// output requested with parameter "classification": N comes back as BYTES "score:index:label"
// strings, top N per batch entry, raw scores, as Triton does) and the label files it uses (the
// config's `label_filename`, one label per line, read through ModelFiles). Transport-neutral: the
// HTTP and gRPC front ends only decode the parameter and encode the BYTES tensor their own way.
// Pure functions (besides the file read), thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/inference_response.h"
#include "model_config.pb.h"
#include "preprocess/model_files.h"

namespace inferd::preprocess {

using Labels = std::vector<std::string>;

// The labels of `output` (its `label_filename` in the model directory); empty when it names none.
StatusOr<Labels> LoadLabels(const ModelFiles& files, const ::inference::ModelConfig& config,
                            std::string_view output);

// Splits a label file's text into lines (a trailing newline and '\r' are dropped).
Labels ParseLabels(std::string_view text);

// The tensor's elements as floats (FP32, FP64, FP16, BF16, and integer types); InvalidArgument
// for BYTES or BOOL.
StatusOr<std::vector<float>> ScoresOf(const core::Tensor& tensor);

// Triton's string: std::to_string(score) ":" index [":" label].
std::string ClassificationString(float score, int64_t index, const Labels& labels);

// Replaces `tensor` (shape [batch..., classes]: the last dimension holds the classes) by a BYTES
// tensor of shape [batch..., min(count, classes)] holding the top `count` classes per row.
StatusOr<core::Tensor> Classify(const core::Tensor& tensor, int count, const Labels& labels);

}  // namespace inferd::preprocess
