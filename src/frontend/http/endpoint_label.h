// The `endpoint` label of nv_http_request_count and of the HTTP request log: the label of the
// route that served the request (route_table.h), so the metric's cardinality is fixed by the
// route tables and never grows with model names or bad URLs. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace inferd::frontend::http {

// Requests no route matched (404).
inline constexpr std::string_view kNotFoundEndpoint = "not_found";
// Requests refused before routing (malformed HTTP, too large, too many connections).
inline constexpr std::string_view kOtherEndpoint = "other";

// Every label value: each route label once, in table order (KServe's first), then "not_found";
// the last is "other".
const std::vector<std::string>& HttpEndpoints();
// The index into HttpEndpoints() of `label`; the index of "other" for a label no route has.
size_t HttpEndpointIndex(std::string_view label);

}  // namespace inferd::frontend::http
