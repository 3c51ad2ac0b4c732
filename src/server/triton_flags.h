// Triton's command line on top of `inferd serve` (docs/adr/0002-triton-command-line.md).
//
// Deployments written for Triton start the server as `tritonserver --model-store=DIR ...`
// (KServe passes `tritonserver` as the first argument of the image's entrypoint). Rather than
// teach inferd's option parser every Triton quirk, a pure rewrite turns such a command line into
// `inferd serve` arguments before parsing: Triton's spellings become inferd's, values are
// normalised the way Triton reads them (booleans true/false/1/0/on/off in any case, control mode
// in any case, log formats default/ISO8601), and Triton flags inferd does not implement are
// dropped with a warning naming them. A flag that neither Triton nor inferd knows is an error
// that names the nearest known flag.
//
// Plain functions over strings; no state.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace inferd::server {

// How `inferd` was started, read from argv before any option parsing.
enum class Invocation {
  kSubcommand,    // `inferd <subcommand> ...` (or no argument, --help, --version)
  kServe,         // `inferd serve ...`, or `inferd --option ...` without a subcommand
  kTritonServer,  // argv[0] is `tritonserver`, or `inferd tritonserver ...`
};

struct ClassifiedCommandLine {
  Invocation invocation = Invocation::kSubcommand;
  std::vector<std::string> serve_args;  // the options after the program or subcommand name
};

ClassifiedCommandLine ClassifyCommandLine(const std::vector<std::string>& argv);

// inferd's own serve options: long name ("--http-port") -> whether it takes a value.
using ServeFlagTable = std::map<std::string, bool, std::less<>>;

struct RewrittenArgs {
  std::vector<std::string> args;      // for `inferd serve`, each option as "--name=value"
  std::vector<std::string> warnings;  // Triton flags inferd ignores, one line each
  std::vector<std::string> notes;     // accepted flags without an effect in inferd
};

// Rewrites `args` (Triton's or inferd's spellings, "--flag value" or "--flag=value") into
// `inferd serve` arguments. `default_id` (non-empty) is added as --id when `args` name none.
// InvalidArgument for an unknown flag (naming the nearest known one), a missing value or a
// value Triton would reject.
StatusOr<RewrittenArgs> RewriteTritonArgs(const std::vector<std::string>& args,
                                          const ServeFlagTable& inferd_flags,
                                          std::string_view default_id);

// Every flag of Triton's command line and what inferd does with it, for the documentation
// and the tests: name (without "--") -> one of "implemented", "mapped", "ignored".
std::map<std::string, std::string> TritonFlagDispositions();

// Levenshtein distance; exposed for its unit test.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace inferd::server
