#include "CLI/CLI.hpp"
#include "tools/server_url.h"
#include "tools/smoke.h"
#include "tools/tls_flags.h"

namespace inferd::tools {

void AddSmokeOptions(CLI::App& command, SmokeOptions& o) {
  CLI::Option* url = command.add_option("-u,--url", o.url, "Server address HOST:PORT")
                         ->default_str("127.0.0.1:8000 (http), localhost:8001 (grpc)");
  command.add_option("-i,--protocol", o.protocol, "http or grpc")
      ->check(CLI::IsMember({"http", "grpc"}))
      ->default_val("http");
  command.add_option("-m,--model-name", o.model, "Model to check")->required();
  command.add_option("-x,--model-version", o.version, "Model version (default: latest)");
  command.add_option("--input", o.input_file,
                     "Input file: JSON tensors ({\"data\": [...]}), raw bytes, or a JPEG/PNG image "
                     "(sent to POST /predict; HTTP only) (default: random)");
  command.add_option("-n,--count", o.count, "Inferences to run")
      ->check(CLI::Range(1, 1000000))
      ->default_val(20);
  command.add_option("--sla-p95-ms", o.sla_p95_ms, "p95 latency limit in ms (0 = no check)")
      ->default_val(200);
  command.add_option("--max-error-rate", o.max_error_rate, "Allowed fraction of failures")
      ->check(CLI::Range(0.0, 1.0))
      ->default_val(0);
  command.add_option("--compare-version", o.compare_version,
                     "Send the same inputs to this version and compare outputs");
  command.add_option("--compare-url", o.compare_url,
                     "Send the same inputs to this server and compare outputs");
  command
      .add_option("--max-abs-diff", o.max_abs_diff,
                  "Compare: largest allowed absolute difference (negative = no check)")
      ->default_val(1e-4);
  command
      .add_option("--min-top1-agreement", o.min_top1_agreement,
                  "Compare: smallest allowed top-1 agreement of classification outputs")
      ->check(CLI::Range(0.0, 1.0))
      ->default_val(1.0);
  command.add_option("--request-timeout", o.request_timeout_ms, "Per-request timeout (ms)")
      ->check(CLI::PositiveNumber)
      ->default_val(10000);
  command.add_flag("--json", o.json, "Print the report as JSON");
  command.add_option("--seed", o.seed, "Seed of the random input data")->default_val(1);
  AddTlsFlags(command, o.tls);
  DefaultUrlForProtocol(command, url, o.protocol, o.url);
}

}  // namespace inferd::tools
