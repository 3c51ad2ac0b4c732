// inferd: one binary, several subcommands (serve now; perf and smoke later).
#include <cstdio>

#include "CLI/CLI.hpp"
#include "server/serve.h"
#include "server/serve_options.h"

int main(int argc, char** argv) {
  CLI::App app{"inferd: a model inference server (KServe v2, Triton model repositories)", "inferd"};
  app.set_version_flag("--version", std::string("inferd ") + INFERD_VERSION);
  app.require_subcommand(1);

  inferd::server::ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Serve the models of one or more repositories");
  inferd::server::AddServeOptions(*serve, serve_options);

  CLI11_PARSE(app, argc, argv);
  if (serve->parsed()) return inferd::server::RunServe(serve_options);
  return 0;
}
