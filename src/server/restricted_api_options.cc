// The restricted-API flags of `inferd serve`, registered by AddServeOptions. Each value is
// checked as the command line is parsed (a malformed group is a usage error at start-up); a
// category named in two groups is caught when the groups are combined (ParseRestrictedApis).
#include "server/restricted_api_options.h"

#include "CLI/CLI.hpp"
#include "frontend/grpc/method_categories.h"

namespace inferd::server {
namespace {

CLI::Validator GroupValidator(std::string option, std::string kind) {
  return CLI::Validator(
      [option, kind](std::string& value) -> std::string {
        auto parsed = core::ApiRestrictions::Parse({value}, option, kind);
        return parsed.ok() ? std::string() : std::string(parsed.status().message());
      },
      "<" + kind + ">[,<" + kind + ">...]:<key>=<value>");
}

}  // namespace

void AddRestrictedApiOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--http-restricted-api", options.http_restricted_apis,
                  "Restrict HTTP API categories to callers sending header <key>: <value> (403 "
                  "otherwise); categories: health, metadata, inference, shared-memory, "
                  "model-config, model-repository, statistics, trace, logging. Repeatable; a "
                  "category may be in one group only")
      ->check(GroupValidator("http-restricted-api", "api"))
      ->take_all()
      ->allow_extra_args(false);
  command
      .add_option("--grpc-restricted-protocol", options.grpc_restricted_protocols,
                  "Restrict gRPC protocol categories to callers sending metadata "
                  "triton-grpc-protocol-<key>: <value> (UNAVAILABLE otherwise); same categories "
                  "and rules as --http-restricted-api")
      ->check(GroupValidator("grpc-restricted-protocol", "protocol"))
      ->take_all()
      ->allow_extra_args(false);
}

StatusOr<RestrictedApis> ParseRestrictedApis(const ServeOptions& options) {
  RestrictedApis restricted;
  ASSIGN_OR_RETURN(restricted.http, core::ApiRestrictions::Parse(options.http_restricted_apis,
                                                                 "http-restricted-api", "api"));
  ASSIGN_OR_RETURN(restricted.grpc,
                   core::ApiRestrictions::Parse(
                       options.grpc_restricted_protocols, "grpc-restricted-protocol", "protocol",
                       std::string(frontend::grpc::kRestrictedHeaderPrefix)));
  return restricted;
}

}  // namespace inferd::server
