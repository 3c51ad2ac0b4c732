#include "frontend/http/http_message.h"

#include <utility>

#include "boost/beast/http/field.hpp"
#include "frontend/http/http_status.h"

namespace inferd::frontend::http {

namespace bhttp = boost::beast::http;

HttpResponse EmptyResponse(bhttp::status code) {
  HttpResponse response(code, 11);
  return response;
}

HttpResponse JsonResponse(bhttp::status code, std::string body) {
  HttpResponse response(code, 11);
  response.set(bhttp::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

HttpResponse ErrorResponse(const Status& status) {
  HttpError error = ToHttpError(status);
  HttpResponse response = JsonResponse(error.code, std::move(error.body));
  if (error.retry_after) response.set(bhttp::field::retry_after, "1");
  return response;
}

HttpResponse ErrorResponse(bhttp::status code, std::string_view message) {
  return JsonResponse(code, ErrorBody(message));
}

}  // namespace inferd::frontend::http
