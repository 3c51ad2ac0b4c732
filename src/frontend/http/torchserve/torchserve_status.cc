#include "frontend/http/torchserve/torchserve_status.h"

#include <string>

#include "frontend/http/json_tensor.h"
#include "frontend/http/utf8.h"
#include "rapidjson/stringbuffer.h"

namespace inferd::frontend::http {
namespace {

namespace bh = boost::beast::http;

void WriteText(JsonWriter& writer, std::string_view text) {
  const std::string valid = ReplaceInvalidUtf8(text);
  writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

}  // namespace

HttpResponse TorchServeError(const Status& status) {
  const std::string_view message(status.message().data(), status.message().size());
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return TorchServeError(bh::status::not_found, "ModelNotFoundException", message);
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnimplemented:
      return TorchServeError(bh::status::bad_request, "BadRequestException", message);
    case absl::StatusCode::kFailedPrecondition:
      return TorchServeError(bh::status::method_not_allowed, "MethodNotAllowedException", message);
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return TorchServeError(bh::status::conflict, "ConflictStatusException", message);
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      return TorchServeError(bh::status::service_unavailable, "ServiceUnavailableException",
                             message);
    case absl::StatusCode::kDeadlineExceeded:
      return TorchServeError(bh::status::request_timeout, "RequestTimeoutException", message);
    case absl::StatusCode::kPermissionDenied:
      return TorchServeError(bh::status::forbidden, "PermissionDeniedException", message);
    case absl::StatusCode::kUnauthenticated:
      return TorchServeError(bh::status::unauthorized, "InvalidKeyException", message);
    default:
      return TorchServeError(bh::status::internal_server_error, "InternalServerException", message);
  }
}

HttpResponse TorchServeError(bh::status code, std::string_view type, std::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("code");
  writer.Int(static_cast<int>(code));
  writer.Key("type");
  WriteText(writer, type);
  writer.Key("message");
  WriteText(writer, message);
  writer.EndObject();
  return JsonResponse(code, std::string(buffer.GetString(), buffer.GetSize()));
}

HttpResponse TorchServeStatus(std::string_view message, bh::status code) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("status");
  WriteText(writer, message);
  writer.EndObject();
  return JsonResponse(code, std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace inferd::frontend::http
