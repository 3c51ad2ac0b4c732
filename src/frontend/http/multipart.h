// A minimal multipart/form-data reader (RFC 7578) for uploads: finds one named field's content
// in a request body without copying it. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace inferd::frontend::http {

// The boundary parameter of a multipart/form-data Content-Type; empty when `content_type` is
// not multipart/form-data. InvalidArgument for multipart without a usable boundary.
StatusOr<std::string> MultipartBoundary(std::string_view content_type);

// The content of the part whose Content-Disposition names `field` (a view into `body`).
// InvalidArgument for a malformed body, or NotFound-like InvalidArgument naming the field when
// no part has that name.
StatusOr<std::string_view> MultipartField(std::string_view body, std::string_view boundary,
                                          std::string_view field);

}  // namespace inferd::frontend::http
