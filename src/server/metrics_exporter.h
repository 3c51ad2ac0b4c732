// What inferd exports on /metrics: collectors that turn the facade's per-model statistics,
// the front ends' request counters and /proc figures into Triton-named metric families
// (docs/metrics.md lists every one). Everything is read at scrape time: the request path only
// touches the atomics the collectors read.
//
// Thread-safe; the facade and the store passed in must outlive the registry's use.
#pragma once

#include <memory>

#include "core/inference_service.h"
#include "metrics/registry.h"
#include "metrics/stats_store.h"

namespace inferd::server {

// The server's store: `buckets` for the per-model histograms, HTTP requests counted per endpoint
// (see frontend/http/endpoint_label.h), gRPC calls per method.
std::unique_ptr<metrics::StatsStore> MakeStatsStore(metrics::BucketConfig buckets);

// The per-model families (nv_inference_*, nv_model_*), from GetModelStatistics and the
// repository index.
metrics::Collector ModelCollector(const core::InferenceService& service);
// HTTP/gRPC request counts and the in-flight gauge, from the store.
metrics::Collector ServerCollector(const metrics::StatsStore& store);
// nv_cpu_utilization, nv_cpu_memory_{total,used}_bytes, nv_process_resident_memory_bytes.
metrics::Collector ProcessCollector();

}  // namespace inferd::server
