#include "frontend/http/http_status.h"

#include "core/model_errors.h"
#include "frontend/http/utf8.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {

// Status -> HTTP, following Triton's HTTP front end where it has a rule:
//   InvalidArgument, OutOfRange, FailedPrecondition,
//   AlreadyExists, Unimplemented                      -> 400 Bad Request
//   NotFound for an unknown model (core::IsUnknownModel) -> 400, as Triton: its clients expect it
//   NotFound (unknown version, unloaded model)        -> 404 Not Found
//   Unavailable (not ready, queue full, shutting down) -> 503 + Retry-After: 1
//   ResourceExhausted (a configured limit, e.g. queue) -> 503 + Retry-After: 1, because every
//                                  inferd limit behind the facade is a load limit a client may
//                                  retry; the HTTP body limit is answered 413 by the server
//                                  itself before any Status exists
//   DeadlineExceeded (queue timeout)                   -> 504 Gateway Timeout
//   Cancelled                                          -> 400 (the client gave up)
//   PermissionDenied / Unauthenticated                 -> 403 / 401
//   Internal, Unknown, DataLoss, anything else         -> 500 Internal Server Error
HttpError ToHttpError(const Status& status) {
  namespace bh = boost::beast::http;
  HttpError error;
  error.body = ErrorBody(std::string_view(status.message().data(), status.message().size()));
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kCancelled:
      error.code = bh::status::bad_request;
      break;
    case absl::StatusCode::kNotFound:
      error.code = core::IsUnknownModel(status) ? bh::status::bad_request : bh::status::not_found;
      break;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      error.code = bh::status::service_unavailable;
      error.retry_after = true;
      break;
    case absl::StatusCode::kDeadlineExceeded:
      error.code = bh::status::gateway_timeout;
      break;
    case absl::StatusCode::kPermissionDenied:
      error.code = bh::status::forbidden;
      break;
    case absl::StatusCode::kUnauthenticated:
      error.code = bh::status::unauthorized;
      break;
    default:
      error.code = bh::status::internal_server_error;
      break;
  }
  return error;
}

std::string ErrorBody(std::string_view message) {
  const std::string text = ReplaceInvalidUtf8(message);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
