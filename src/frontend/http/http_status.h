// The one place where inferd's Status becomes an HTTP answer (status code, Retry-After, and the
// KServe v2 error body {"error": "..."}). Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "boost/beast/http/status.hpp"
#include "common/status.h"

namespace inferd::frontend::http {

struct HttpError {
  boost::beast::http::status code = boost::beast::http::status::internal_server_error;
  bool retry_after = false;  // send "Retry-After: 1" (the condition is expected to clear)
  std::string body;          // {"error": "<message>"}
};

// Maps a non-OK Status to its HTTP answer. The table is in the definition's comment.
HttpError ToHttpError(const Status& status);

// {"error": "<message>"}, with the message JSON-escaped (and made valid UTF-8).
std::string ErrorBody(std::string_view message);

}  // namespace inferd::frontend::http
