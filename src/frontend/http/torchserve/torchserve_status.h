// TorchServe's response shapes: errors {"code": N, "type": "<Java exception name>", "message"}
// and management results {"status": "<message>"}; and the one Status -> TorchServe mapping.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "common/status.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

// Status -> TorchServe error:
//   NotFound                               -> 404 ModelNotFoundException
//   InvalidArgument, OutOfRange, Cancelled,
//   Unimplemented                          -> 400 BadRequestException
//   FailedPrecondition (model control mode
//   does not allow changes)                -> 405 MethodNotAllowedException, as TorchServe
//                                             answers register/unregister with the model API off
//   AlreadyExists, Aborted                 -> 409 ConflictStatusException
//   Unavailable, ResourceExhausted         -> 503 ServiceUnavailableException
//   DeadlineExceeded                       -> 408 RequestTimeoutException
//   PermissionDenied / Unauthenticated     -> 403 / 401
//   anything else                          -> 500 InternalServerException
HttpResponse TorchServeError(const Status& status);
HttpResponse TorchServeError(boost::beast::http::status code, std::string_view type,
                             std::string_view message);
// 200 {"status": message}
HttpResponse TorchServeStatus(std::string_view message,
                              boost::beast::http::status code = boost::beast::http::status::ok);

}  // namespace inferd::frontend::http
