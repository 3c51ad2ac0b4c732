// JSON body of the statistics extension (GET /v2/models[/{m}[/versions/{v}]]/stats) in Triton's
// shape: {"model_stats":[{name, version, last_inference, inference_count, execution_count,
// inference_stats{success, fail, queue, compute_input, compute_infer, compute_output, cache_hit,
// cache_miss}, batch_stats[{batch_size, compute_input, compute_infer, compute_output}],
// memory_usage}]}. Cache fields are always zero (inferd has no response cache) but present,
// because Triton's clients read them. Pure function, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/model_statistics.h"

namespace inferd::frontend::http {

std::string ModelStatisticsJson(const std::vector<core::ModelStatistics>& stats);

}  // namespace inferd::frontend::http
