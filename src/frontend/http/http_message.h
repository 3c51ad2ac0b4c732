// The HTTP message types the router and handlers exchange, and small builders for the
// responses they send. Handlers fill status, headers and body; the session sets the HTTP
// version, keep-alive and Content-Length. Value types; builders are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/status.hpp"
#include "boost/beast/http/string_body.hpp"
#include "common/status.h"

namespace inferd::frontend::http {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Delivers a request's response; called exactly once, from any thread.
using Respond = absl::AnyInvocable<void(HttpResponse) &&>;

HttpResponse EmptyResponse(boost::beast::http::status code);
HttpResponse JsonResponse(boost::beast::http::status code, std::string body);
// A non-OK Status as its HTTP error (see ToHttpError in http_status.h).
HttpResponse ErrorResponse(const Status& status);
// An error the HTTP layer itself detects (404, 405, 413, ...): {"error": message}.
HttpResponse ErrorResponse(boost::beast::http::status code, std::string_view message);

}  // namespace inferd::frontend::http
