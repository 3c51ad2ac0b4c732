// What inferd exports on /metrics: collectors that turn the facade's per-model statistics,
// the front ends' request counters and /proc figures into Triton-named metric families
// (docs/metrics.md lists every one). Everything is read at scrape time: the request path only
// touches the atomics the collectors read.
//
// Thread-safe; the facade and the counters passed in must outlive the registry's use.
#pragma once

#include <memory>

#include "core/inference_service.h"
#include "metrics/registry.h"
#include "metrics/status_counters.h"

namespace inferd::server {

// Counters the front ends and the request observer update.
struct ServerCounters {
  ServerCounters();
  // HTTP requests per endpoint (see frontend/http/endpoint_label.h) and HTTP status code.
  std::unique_ptr<metrics::StatusCounters> http;
  // gRPC calls per method and gRPC status code.
  std::unique_ptr<metrics::StatusCounters> grpc;
  // Inference requests received by the facade and not yet completed.
  metrics::Gauge inflight;
};

// The per-model families (nv_inference_*, nv_model_*), from GetModelStatistics and the
// repository index.
metrics::Collector ModelCollector(const core::InferenceService& service);
// HTTP/gRPC request counts and the in-flight gauge.
metrics::Collector ServerCollector(const ServerCounters& counters);
// nv_cpu_utilization, nv_cpu_memory_{total,used}_bytes, nv_process_resident_memory_bytes.
metrics::Collector ProcessCollector();

}  // namespace inferd::server
