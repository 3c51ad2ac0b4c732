// `inferd smoke`: the post-deploy check. Health, then N inferences (input from a file or random
// data shaped by the model's metadata), then checks: error rate, p95 latency against the SLA and,
// with --compare-version / --compare-url, the same inputs against a second version or server
// (per-output max absolute difference, top-1 agreement of classification outputs). Prints a
// report (text or --json) and exits non-zero naming the first failed check.
//
// An image input file (JPEG or PNG, by magic bytes) goes to the HTTP image endpoint instead,
// POST /predict/{model}[/versions/{v}], as users send it: the server runs the model's declared
// pipeline; the comparison is then of the predictions (top-1 class, score differences). gRPC has
// no image endpoint: an image with -i grpc is a usage error.
//
// Plain options data plus functions; RunSmoke blocks until done.
#pragma once

#include "client/client_options.h"

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace inferd::tools {

struct SmokeOptions {
  std::string url = "127.0.0.1:8000";
  std::string protocol = "http";
  std::string model;
  std::string version;
  std::string input_file;
  int count = 20;
  double sla_p95_ms = 200;          // <= 0 disables the check
  double max_error_rate = 0;        // fraction of failed inferences allowed
  std::string compare_version;      // compare against this version (same server unless compare_url)
  std::string compare_url;          // compare against this server (same protocol)
  double max_abs_diff = 1e-4;       // compare: largest allowed |a - b| of any output element
  double min_top1_agreement = 1.0;  // compare: fraction of samples whose argmax agrees
  int64_t request_timeout_ms = 10000;
  bool json = false;
  uint64_t seed = 1;
  client::TlsOptions tls;  // --ssl, --ssl-ca, --ssl-cert, --ssl-key
};

void AddSmokeOptions(CLI::App& command, SmokeOptions& options);
// Exit code: 0 every check passed, 1 a check failed, 2 bad options or input file.
int RunSmoke(const SmokeOptions& options);

}  // namespace inferd::tools
