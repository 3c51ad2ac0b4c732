// inferd: one binary, several subcommands (serve, perf, smoke, health, check-repository). Started
// as `tritonserver` (a symlink), as `inferd tritonserver ...` or as `inferd --option ...`, it
// serves, accepting Triton's command line (server/triton_flags.h).
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "server/check_repository.h"
#include "server/serve.h"
#include "server/serve_options.h"
#include "server/triton_flags.h"
#include "tools/health.h"
#include "tools/perf.h"
#include "tools/smoke.h"

namespace {

const std::string kVersion = std::string("inferd ") + INFERD_VERSION;

inferd::server::ServeFlagTable ServeFlags(const CLI::App& serve) {
  inferd::server::ServeFlagTable flags;
  for (const CLI::Option* option : serve.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      // A flag (add_flag) has a type size of 1 in CLI11 2.1 but expects no value.
      flags["--" + name] = option->get_expected_min() != 0 && option->get_type_size() != 0;
    }
  }
  return flags;
}

// Serve through the Triton rewrite: the rewritten options parsed as `inferd serve`'s.
int ParseAndServe(CLI::App& app, CLI::App& serve, inferd::server::ServeOptions& options,
                  const inferd::server::ClassifiedCommandLine& command_line) {
  for (const auto& arg : command_line.serve_args) {
    if (arg == "--version") {
      std::printf("%s\n", kVersion.c_str());
      return 0;
    }
  }
  const bool triton = command_line.invocation == inferd::server::Invocation::kTritonServer;
  auto rewritten = inferd::server::RewriteTritonArgs(command_line.serve_args, ServeFlags(serve),
                                                     triton ? "triton" : "");
  if (!rewritten.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(rewritten.status().message()).c_str());
    return 2;
  }
  std::vector<std::string> args = {"inferd", "serve"};
  args.insert(args.end(), rewritten->args.begin(), rewritten->args.end());
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  options.startup_warnings = std::move(rewritten->warnings);
  options.startup_notes = std::move(rewritten->notes);
  return inferd::server::RunServe(options);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"inferd: a model inference server (KServe v2, Triton model repositories)", "inferd"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  app.footer(
      "Started as `tritonserver`, as `inferd tritonserver ...` or as `inferd --option ...`, "
      "inferd serves and accepts Triton's options (docs/configuration.md).");

  inferd::server::ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Serve the models of one or more repositories");
  inferd::server::AddServeOptions(*serve, serve_options);
  inferd::tools::PerfOptions perf_options;
  auto* perf = app.add_subcommand("perf", "Measure throughput and latency (perf_analyzer-style)");
  inferd::tools::AddPerfOptions(*perf, perf_options);
  inferd::tools::SmokeOptions smoke_options;
  auto* smoke = app.add_subcommand("smoke", "Post-deploy check: health, latency, errors, compare");
  inferd::tools::AddSmokeOptions(*smoke, smoke_options);
  inferd::server::CheckRepositoryOptions check_options;
  auto* check = app.add_subcommand(
      "check-repository",
      "Say, per model, whether serve would load it from a (Triton) repository, and why not");
  inferd::server::AddCheckRepositoryOptions(*check, check_options);
  inferd::tools::HealthOptions health_options;
  auto* health = app.add_subcommand("health", "Exit 0 when the server is ready (a probe)");
  inferd::tools::AddHealthOptions(*health, health_options);

  const auto command_line =
      inferd::server::ClassifyCommandLine(std::vector<std::string>(argv, argv + argc));
  if (command_line.invocation != inferd::server::Invocation::kSubcommand) {
    return ParseAndServe(app, *serve, serve_options, command_line);
  }
  CLI11_PARSE(app, argc, argv);
  if (perf->parsed()) return inferd::tools::RunPerf(perf_options);
  if (smoke->parsed()) return inferd::tools::RunSmoke(smoke_options);
  if (health->parsed()) return inferd::tools::RunHealth(health_options);
  if (check->parsed()) return inferd::server::RunCheckRepository(check_options);
  return 0;
}
