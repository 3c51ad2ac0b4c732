// --http-restricted-api and --grpc-restricted-protocol (Triton's syntax, docs/security.md):
// registration on `inferd serve` and their parsing into the front ends' restrictions.
#pragma once

#include "common/status.h"
#include "core/api_restrictions.h"
#include "server/serve_options.h"

namespace inferd::server {

struct RestrictedApis {
  core::ApiRestrictions http;  // header <key>
  core::ApiRestrictions grpc;  // metadata triton-grpc-protocol-<key>
};

// InvalidArgument naming the flag for a malformed group, an unknown category or a category in
// two groups of the same flag. Never echoes a value.
StatusOr<RestrictedApis> ParseRestrictedApis(const ServeOptions& options);

}  // namespace inferd::server
