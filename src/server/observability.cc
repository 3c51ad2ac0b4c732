#include "server/observability.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "metrics/histogram.h"
#include "spdlog/spdlog.h"

namespace inferd::server {

StatusOr<std::unique_ptr<Observability>> Observability::Create(const ServeOptions& options) {
  metrics::BucketConfig buckets;
  if (!options.metrics_latency_buckets_us.empty()) {
    auto parsed = metrics::ParseBounds(options.metrics_latency_buckets_us);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--metrics-latency-buckets-us: ", std::string(parsed.status().message())));
    }
    buckets.latency_us = *std::move(parsed);
  }
  if (!options.metrics_batch_size_buckets.empty()) {
    auto parsed = metrics::ParseBounds(options.metrics_batch_size_buckets);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--metrics-batch-size-buckets: ", std::string(parsed.status().message())));
    }
    buckets.batch_size = *std::move(parsed);
  }
  buckets.record = options.allow_metrics;
  std::unique_ptr<Observability> out(
      new Observability(options, MakeStatsStore(std::move(buckets))));
  metrics::TraceSettings trace;
  trace.trace_file = options.trace_file;
  trace.trace_level = options.trace_level;
  trace.trace_rate = options.trace_rate;
  trace.trace_count = options.trace_count;
  if (Status s = out->tracer_.Start(trace); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("trace options: ", std::string(s.message())));
  }
  return out;
}

Status Observability::StartMetrics(const core::InferenceService& service,
                                   std::shared_ptr<tls::ReloadableTlsContext> tls) {
  if (!options_.allow_metrics) return absl::OkStatus();
  registry_.Add(ModelCollector(service));
  registry_.Add(ServerCollector(*store_));
  registry_.Add(ProcessCollector());
  server_ = std::make_unique<metrics::MetricsServer>(
      registry_, metrics::MetricsServerOptions{options_.metrics_address, options_.metrics_port,
                                               std::move(tls)});
  ASSIGN_OR_RETURN(const int port, server_->Start());
  // Tests and scripts read the bound port from this line on stdout.
  std::printf("inferd: metrics listening on %s:%d\n", options_.metrics_address.c_str(), port);
  std::fflush(stdout);
  spdlog::info("metrics on {}:{}", options_.metrics_address, port);
  return absl::OkStatus();
}

void Observability::Stop() {
  if (server_ != nullptr) server_->Stop();
}

}  // namespace inferd::server
