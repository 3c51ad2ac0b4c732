// HTTP request targets: the percent-decoding and query parsing every dialect shares, the metrics
// endpoint label, and the router's path parsing of all dialects (KServe v2, TF Serving,
// TorchServe inference and management, /predict) over a fake service. The input's first byte
// picks the method; the rest, up to a newline, is the target as Beast's parser would pass it on
// (no control characters or spaces, any other byte). Bodies are left empty: the body codecs have
// their own targets.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "frontend/http/endpoint_label.h"
#include "frontend/http/router.h"
#include "frontend/http/torchserve/torchserve_handlers.h"
#include "frontend/http/url_util.h"
#include "testing/fake_inference_service.h"

namespace {

namespace bhttp = boost::beast::http;
using inferd::frontend::http::HttpRequest;
using inferd::frontend::http::HttpResponse;

bool IsTargetByte(unsigned char c) { return c > 0x20 && c != 0x7f; }

void Route(bhttp::verb method, std::string_view target) {
  static auto* service = new inferd::frontend::http::testing::FakeInferenceService();
  static auto* router = new inferd::frontend::http::Router(*service, {});
  auto request = std::make_shared<HttpRequest>();
  request->method(method);
  request->target(boost::beast::string_view(target.data(), target.size()));
  bool answered = false;
  router->Handle(std::move(request), [&answered](HttpResponse) { answered = true; });
  // The fake service completes inline, so every route must have answered by now.
  if (!answered) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  constexpr bhttp::verb kMethods[] = {bhttp::verb::get,  bhttp::verb::post,
                                      bhttp::verb::put,  bhttp::verb::delete_,
                                      bhttp::verb::head, bhttp::verb::options};
  const bhttp::verb method = kMethods[data[0] % std::size(kMethods)];
  std::string_view target(reinterpret_cast<const char*>(data + 1), size - 1);
  target = target.substr(0, target.find('\n'));
  if (target.empty()) return 0;
  for (const char c : target) {
    if (!IsTargetByte(static_cast<unsigned char>(c))) return 0;
  }
  (void)inferd::frontend::http::UrlDecode(target);
  (void)inferd::frontend::http::ParseQuery(target);
  (void)inferd::frontend::http::ParseTorchServeVersion(target);
  (void)inferd::frontend::http::HttpEndpointIndex(target);
  Route(method, target);
  return 0;
}
