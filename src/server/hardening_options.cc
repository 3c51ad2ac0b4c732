// The hardening options of `inferd serve` (bounds and refusals that protect the host from its
// clients and its model repository), registered by AddServeOptions. docs/security.md.
#include "CLI/CLI.hpp"
#include "server/serve_options.h"

namespace inferd::server {

void AddHardeningOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--max-instances-per-model", options.max_instances_per_model,
                  "Most instances one model may have (sum of its instance groups, TorchServe "
                  "min_worker/initial_workers included); a config over it fails to load "
                  "(0 = 4 x cores)")
      ->check(CLI::Range(0, 4096))
      ->default_val(0);
  command
      .add_option("--shared-memory-max-regions", options.shared_memory_max_regions,
                  "Most system shared-memory regions registered at once (shared-memory "
                  "extension); a registration beyond it is refused (0 = no registration)")
      ->check(CLI::Range(0, 4096))
      ->default_val(64);
  command.add_flag("--allow-repository-symlinks", options.allow_repository_symlinks,
                   "Follow symbolic links that lead out of the model repository (refused by "
                   "default)");
}

}  // namespace inferd::server
