// What the OpenAPI document (openapi_document.h) says about each route beyond its table row:
// request body, responses and query/header parameters, as OpenAPI 3.1 JSON fragments, plus the
// component schemas they refer to. Routes are matched to their spec by dialect, method, endpoint
// label and an optional pattern suffix, so one spec serves a family of routes (every version of
// TF Serving's predict). A route without a spec fails the unit test (openapi_document_test.cc).
// Constant data; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "boost/beast/http/verb.hpp"
#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

struct OperationSpec {
  std::string_view dialect;  // Dialect::name
  boost::beast::http::verb method;
  std::string_view label;            // Route::label
  std::string_view pattern_suffix;   // "" = any pattern with this label
  std::string_view request_body;     // an OpenAPI Request Body object; "" = no body
  std::string_view responses;        // an OpenAPI Responses object (errors are added per dialect)
  std::string_view parameters = "";  // a JSON array of query/header Parameter objects; "" = none
};

// Every spec, in match order (first match wins).
std::span<const OperationSpec> OperationSpecs();

// The spec of `route` in `dialect`; null when none matches.
const OperationSpec* FindOperationSpec(const Dialect& dialect, const Route& route);

// The "components.schemas" object: a JSON object text.
std::string_view OpenApiComponentSchemas();

}  // namespace inferd::frontend::http
