#include "frontend/http/http_content_coding.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

// zlib's fastest level: on tensors it compresses nearly as well as the default level, several
// times faster (docs/performance.md), and the response is on the request's critical path.
constexpr int kResponseLevel = 1;

std::string_view View(boost::beast::string_view text) { return {text.data(), text.size()}; }

HttpResponse UnsupportedCoding(std::string_view coding) {
  HttpResponse response = ErrorResponse(
      bhttp::status::unsupported_media_type,
      absl::StrCat("unsupported Content-Encoding '", std::string(coding.substr(0, 64)),
                   "': the server accepts gzip, deflate and identity"));
  response.set(bhttp::field::accept_encoding, "gzip, deflate");
  return response;
}

}  // namespace

bool ApplyContentCoding(std::shared_ptr<const HttpRequest>& request, Respond& respond,
                        size_t max_input_size) {
  if (const auto it = request->find(bhttp::field::content_encoding); it != request->end()) {
    const std::string_view header = View(it->value());
    const auto coding = ParseContentEncoding(header);
    if (!coding.has_value()) {
      std::move(respond)(UnsupportedCoding(header));
      return false;
    }
    if (*coding != ContentCoding::kIdentity && !request->body().empty()) {  // nothing to decode
      auto decoded = DecodeContent(*coding, request->body(), max_input_size);
      if (!decoded.ok()) {
        const auto code = absl::IsResourceExhausted(decoded.status())
                              ? bhttp::status::payload_too_large
                              : bhttp::status::bad_request;
        std::move(respond)(ErrorResponse(code, std::string(decoded.status().message())));
        return false;
      }
      auto plain = std::make_shared<HttpRequest>(request->base(), *std::move(decoded));
      plain->erase(bhttp::field::content_encoding);
      plain->prepare_payload();
      request = std::move(plain);
    }
  }
  // Without Accept-Encoding nothing is wrapped: a plain client pays nothing.
  const auto accept = request->find(bhttp::field::accept_encoding);
  if (accept == request->end()) return true;
  const ContentCoding coding = NegotiateAcceptEncoding(View(accept->value()));
  respond = [inner = std::move(respond), coding](HttpResponse response) mutable {
    EncodeResponse(response, coding);
    std::move(inner)(std::move(response));
  };
  return true;
}

void EncodeResponse(HttpResponse& response, ContentCoding coding) {
  if (response.body().size() < kMinCompressedResponseSize ||
      response.find(bhttp::field::content_encoding) != response.end()) {
    return;
  }
  response.set(bhttp::field::vary, "Accept-Encoding");
  if (coding == ContentCoding::kIdentity) return;
  auto encoded = EncodeContent(coding, response.body(), kResponseLevel);
  if (!encoded.ok() || encoded->size() >= response.body().size()) return;
  response.body() = *std::move(encoded);
  response.set(bhttp::field::content_encoding, ContentCodingName(coding));
}

}  // namespace inferd::frontend::http
