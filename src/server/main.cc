// inferd: one binary, several subcommands (serve, perf, smoke).
#include <cstdio>

#include "CLI/CLI.hpp"
#include "server/serve.h"
#include "server/serve_options.h"
#include "tools/perf.h"
#include "tools/smoke.h"

int main(int argc, char** argv) {
  CLI::App app{"inferd: a model inference server (KServe v2, Triton model repositories)", "inferd"};
  app.set_version_flag("--version", std::string("inferd ") + INFERD_VERSION);
  app.require_subcommand(1);

  inferd::server::ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Serve the models of one or more repositories");
  inferd::server::AddServeOptions(*serve, serve_options);
  inferd::tools::PerfOptions perf_options;
  auto* perf = app.add_subcommand("perf", "Measure throughput and latency (perf_analyzer-style)");
  inferd::tools::AddPerfOptions(*perf, perf_options);
  inferd::tools::SmokeOptions smoke_options;
  auto* smoke = app.add_subcommand("smoke", "Post-deploy check: health, latency, errors, compare");
  inferd::tools::AddSmokeOptions(*smoke, smoke_options);

  CLI11_PARSE(app, argc, argv);
  if (serve->parsed()) return inferd::server::RunServe(serve_options);
  if (perf->parsed()) return inferd::tools::RunPerf(perf_options);
  if (smoke->parsed()) return inferd::tools::RunSmoke(smoke_options);
  return 0;
}
