// Input tensors for `inferd perf` and `inferd smoke`: the request shapes resolved from the model's
// metadata and configuration (batch dimension, --shape overrides), and the samples to send,
// random or read from a file. Pure functions (random ones take an explicit seed); thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/client_options.h"
#include "client/infer_types.h"
#include "common/status.h"

namespace inferd::tools {

struct InputSpec {
  std::string name;
  std::string datatype;
  std::vector<int64_t> shape;  // the full request shape, batch dimension included
};

// One request's inputs.
using Sample = std::vector<client::InferInput>;

// "NAME:D1,D2,..." (perf_analyzer's --shape, without the batch dimension).
StatusOr<std::pair<std::string, std::vector<int64_t>>> ParseShapeFlag(const std::string& flag);

// The request shapes: a batching model (max_batch_size > 0) gets `batch` prepended to its
// per-item dims; variable dims (-1) take `shapes[name]`; InvalidArgument names an input whose
// dims stay unknown, or a batch the model does not allow.
StatusOr<std::vector<InputSpec>> ResolveInputs(
    const client::ModelMetadata& metadata, int64_t max_batch_size, int64_t batch,
    const std::map<std::string, std::vector<int64_t>>& shapes);

// `count` samples of random data (floats in [0, 1), integers in [0, 100), short strings).
std::vector<Sample> RandomSamples(const std::vector<InputSpec>& specs, int count, uint64_t seed);

// Samples from a file: perf_analyzer's JSON ({"data": [{"INPUT": [..] | {"content": [..],
// "shape": [..]}}, ...]}) or, for a model with one input, raw little-endian bytes of one sample.
// A JSON entry without "shape" uses the spec's shape.
StatusOr<std::vector<Sample>> LoadSamples(const std::string& path,
                                          const std::vector<InputSpec>& specs);

// The bytes of an input file; InvalidArgument naming the path when it cannot be read.
StatusOr<std::string> ReadInputFile(const std::string& path);

// Whether `bytes` start as a JPEG (FF D8 FF) or PNG (89 'PNG' 0D 0A 1A 0A) file: recognised by
// magic bytes, never by the file name.
bool IsImage(std::string_view bytes);

}  // namespace inferd::tools
