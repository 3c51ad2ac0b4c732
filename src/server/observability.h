// What `inferd serve` owns for observability: the stats store (the per-model histogram buckets,
// handed to the model manager, the front ends' request counters, the in-flight gauge), the
// tracer, the metrics registry and the /metrics listener. server::Server creates it first and
// stops it after the front ends.
//
// Not thread-safe itself (created, started and stopped by the main thread); the store and tracer
// it hands out are thread-safe.
#pragma once

#include <memory>
#include <utility>

#include "common/status.h"
#include "core/inference_service.h"
#include "metrics/metrics_server.h"
#include "metrics/registry.h"
#include "metrics/request_trace.h"
#include "metrics/stats_store.h"
#include "server/metrics_exporter.h"
#include "server/serve_options.h"

namespace inferd::server {

class Observability {
 public:
  // Validates the metrics and trace options; the store gets the bucket configuration.
  static StatusOr<std::unique_ptr<Observability>> Create(const ServeOptions& options);

  metrics::StatsStore& store() { return *store_; }
  metrics::Tracer& tracer() { return tracer_; }
  // Registers the collectors and, unless --allow-metrics false, starts the listener and prints
  // "inferd: metrics listening on ADDR:PORT" on stdout. `service` must outlive Stop(). `tls` set:
  // the port serves HTTPS.
  Status StartMetrics(const core::InferenceService& service,
                      std::shared_ptr<tls::ReloadableTlsContext> tls = nullptr);
  void Stop();

 private:
  Observability(const ServeOptions& options, std::unique_ptr<metrics::StatsStore> store)
      : options_(options), store_(std::move(store)) {}

  const ServeOptions options_;
  const std::unique_ptr<metrics::StatsStore> store_;
  metrics::Tracer tracer_;
  metrics::Registry registry_;
  std::unique_ptr<metrics::MetricsServer> server_;
};

}  // namespace inferd::server
