// The `endpoint` label of nv_http_request_count: a small fixed set of API families, so the
// metric's cardinality does not grow with model names or bad URLs. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace inferd::frontend::http {

// Every label value, in index order; the last is "other".
const std::vector<std::string>& HttpEndpoints();
// The index into HttpEndpoints() of a request target (path, query ignored).
size_t HttpEndpointIndex(std::string_view target);

}  // namespace inferd::frontend::http
