// `inferd check-repository DIR...`: reports, per model version, whether `inferd serve` would load
// it from these repositories and why not, without serving (lifecycle/repository_check.h). It takes
// serve's repository options, which change what loads (auto-complete, --backend-config,
// --max-instances-per-model, --allow-repository-symlinks), plus --load (open each model with its
// backend, as serve does) and --json. Exit status: 0 when every version loads (WARN loads), 1 when
// one does not, 2 for a bad command line or an unreadable repository.
#pragma once

#include <cstdio>
#include <string>

#include "lifecycle/repository_check.h"
#include "server/serve_options.h"

namespace CLI {
class App;
}

namespace inferd::server {

struct CheckRepositoryOptions {
  ServeOptions repository;  // only the repository options are read
  bool load = false;
  bool json = false;
};

void AddCheckRepositoryOptions(CLI::App& command, CheckRepositoryOptions& options);
int RunCheckRepository(const CheckRepositoryOptions& options);

// The report as a table (one row per model version, continuation lines for further reasons) or
// as JSON; exposed for tests.
std::string FormatCheckTable(const lifecycle::CheckReport& report, bool opened);
std::string FormatCheckJson(const lifecycle::CheckReport& report, bool opened);

}  // namespace inferd::server
