// What `inferd serve` owns for observability: the per-model histogram buckets (applied before
// any model loads), the front ends' request counters, the tracer, the metrics registry and the
// /metrics listener. server::Server creates it first and stops it after the front ends.
//
// Not thread-safe itself (created, started and stopped by the main thread); the counters and
// tracer it hands out are thread-safe.
#pragma once

#include <memory>

#include "common/status.h"
#include "core/inference_service.h"
#include "metrics/metrics_server.h"
#include "metrics/registry.h"
#include "metrics/request_trace.h"
#include "server/metrics_exporter.h"
#include "server/serve_options.h"

namespace inferd::server {

class Observability {
 public:
  // Validates the metrics and trace options and applies the bucket configuration.
  static StatusOr<std::unique_ptr<Observability>> Create(const ServeOptions& options);

  ServerCounters& counters() { return counters_; }
  metrics::Tracer& tracer() { return tracer_; }
  // Registers the collectors and, unless --allow-metrics false, starts the listener and prints
  // "inferd: metrics listening on ADDR:PORT" on stdout. `service` must outlive Stop().
  Status StartMetrics(const core::InferenceService& service);
  void Stop();

 private:
  explicit Observability(const ServeOptions& options) : options_(options) {}

  const ServeOptions options_;
  ServerCounters counters_;
  metrics::Tracer tracer_;
  metrics::Registry registry_;
  std::unique_ptr<metrics::MetricsServer> server_;
};

}  // namespace inferd::server
