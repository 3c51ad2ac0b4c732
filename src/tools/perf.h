// `inferd perf`: a load generator and latency recorder in the perf_analyzer workflow. Sweeps a
// concurrency range (closed loop) or a request-rate range (open loop, constant or Poisson
// arrivals); per step it measures windows until three consecutive ones agree within
// --stability-percentage (or --max-trials), then reports client throughput and latency
// percentiles next to the server-side split read from the statistics endpoint.
//
// Plain options data plus functions; RunPerf blocks until the sweep ends.
#pragma once

#include "client/client_options.h"

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace inferd::tools {

struct PerfOptions {
  std::string model;
  std::string version;
  std::string url = "127.0.0.1:8000";
  std::string protocol = "http";
  int64_t batch = 1;
  std::string concurrency_range;   // "START[:END[:STEP]]"; default 1 when no range is given
  std::string request_rate_range;  // "START[:END[:STEP]]" requests per second
  std::string request_distribution = "constant";  // constant | poisson
  std::vector<std::string> shapes;                // "NAME:D1,D2"
  std::string input_data = "random";              // "random" or a JSON / raw file
  int percentile = 0;                             // 0 = stability on the average latency
  int measurement_interval_ms = 5000;
  int max_trials = 10;
  double stability_percentage = 10;
  int64_t request_timeout_ms = 30000;
  std::string csv_file;
  std::string plot_file;
  bool json_data = false;  // HTTP: JSON tensors instead of the binary extension
  // "", "gzip" or "deflate": each request body compressed once, when requests are prepared.
  std::string request_compression;
  uint64_t seed = 1;
  client::TlsOptions tls;  // --ssl, --ssl-ca, --ssl-cert, --ssl-key
};

void AddPerfOptions(CLI::App& command, PerfOptions& options);
// Returns the process exit code: 0, 1 (the run failed: server errors, an unreachable server),
// 2 (bad options).
int RunPerf(const PerfOptions& options);

}  // namespace inferd::tools
