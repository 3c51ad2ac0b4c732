// The observability options of `inferd serve` (metrics, log format, tracing), registered by
// AddServeOptions.
#include "CLI/CLI.hpp"
#include "server/serve_options.h"

namespace inferd::server {

void AddObservabilityOptions(CLI::App& command, ServeOptions& options) {
  command.add_option("--allow-metrics", options.allow_metrics, "Serve Prometheus metrics")
      ->default_val(true);
  command.add_option("--metrics-address", options.metrics_address, "Metrics listen address")
      ->default_val("0.0.0.0");
  command.add_option("--metrics-port", options.metrics_port, "Metrics port (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->default_val(8002);
  command.add_option("--metrics-latency-buckets-us", options.metrics_latency_buckets_us,
                     "Bucket bounds of the latency histograms in microseconds, comma-separated "
                     "(default 100,250,...,5000000)");
  command.add_option("--metrics-batch-size-buckets", options.metrics_batch_size_buckets,
                     "Bucket bounds of the batch size histogram, comma-separated "
                     "(default 1,2,4,...,256)");
  command.add_option("--log-format", options.log_format, "Log line format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
  command.add_option("--trace-file", options.trace_file,
                     "Append request traces (one JSON line per sampled request) to this file");
  command.add_option("--trace-level", options.trace_level, "Trace level")
      ->check(CLI::IsMember({"OFF", "TIMESTAMPS"}))
      ->default_val("OFF");
  command.add_option("--trace-rate", options.trace_rate, "Trace 1 of every N requests")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40))
      ->default_val(1000);
  command
      .add_option("--trace-count", options.trace_count, "Number of traces to write (-1 = no limit)")
      ->check(CLI::Range(int64_t{-1}, INT64_MAX))
      ->default_val(-1);
}

}  // namespace inferd::server
