#include "CLI/CLI.hpp"
#include "tools/perf.h"
#include "tools/server_url.h"
#include "tools/tls_flags.h"

namespace inferd::tools {

void AddPerfOptions(CLI::App& command, PerfOptions& o) {
  command.add_option("-m,--model-name", o.model, "Model to measure")->required();
  command.add_option("-x,--model-version", o.version, "Model version (default: latest)");
  CLI::Option* url = command.add_option("-u,--url", o.url, "Server address HOST:PORT")
                         ->default_str("127.0.0.1:8000 (http), localhost:8001 (grpc)");
  command.add_option("-i,--protocol", o.protocol, "http or grpc")
      ->check(CLI::IsMember({"http", "grpc"}))
      ->default_val("http");
  command.add_option("-b,--batch-size", o.batch, "Batch size of each request")
      ->check(CLI::PositiveNumber)
      ->default_val(1);
  command.add_option("--concurrency-range", o.concurrency_range,
                     "START:END:STEP requests kept in flight (closed loop; default 1)");
  command.add_option("--request-rate-range", o.request_rate_range,
                     "START:END:STEP requests per second (open loop)");
  command
      .add_option("--request-distribution", o.request_distribution,
                  "Arrivals in rate mode: constant or poisson")
      ->check(CLI::IsMember({"constant", "poisson"}))
      ->default_val("constant");
  command.add_option("--shape", o.shapes, "NAME:D1,D2,... for an input's variable dims");
  command
      .add_option("--input-data", o.input_data,
                  "random, or a JSON file ({\"data\": [{INPUT: [...]}, ...]}) or raw file")
      ->default_val("random");
  command
      .add_option("--percentile", o.percentile,
                  "Latency percentile for the stability rule (default: the average)")
      ->check(CLI::Range(1, 99));
  command
      .add_option("-p,--measurement-interval", o.measurement_interval_ms,
                  "Measurement window in milliseconds")
      ->check(CLI::Range(50, 3600000))
      ->default_val(5000);
  command.add_option("-r,--max-trials", o.max_trials, "Windows per step before giving up")
      ->check(CLI::Range(3, 1000))
      ->default_val(10);
  command
      .add_option("-s,--stability-percentage", o.stability_percentage,
                  "Three windows agree when within this percent")
      ->check(CLI::Range(0.1, 100.0))
      ->default_val(10);
  command.add_option("--request-timeout", o.request_timeout_ms, "Per-request timeout (ms)")
      ->check(CLI::PositiveNumber)
      ->default_val(30000);
  command.add_option("-f,--latency-report-file", o.csv_file, "Write the results as CSV");
  command.add_option("--plot", o.plot_file, "Write latency vs throughput as an SVG plot");
  command.add_flag("--json-data", o.json_data, "HTTP: send JSON tensors, not binary");
  command
      .add_option("--request-compression-algorithm", o.request_compression,
                  "gzip or deflate: send request bodies compressed (each compressed once, up "
                  "front; gRPC needs the server's --grpc-accept-compressed-requests)")
      ->check(CLI::IsMember({"", "gzip", "deflate"}));
  command.add_option("--seed", o.seed, "Seed of the random input data")->default_val(1);
  AddTlsFlags(command, o.tls);
  DefaultUrlForProtocol(command, url, o.protocol, o.url);
}

}  // namespace inferd::tools
