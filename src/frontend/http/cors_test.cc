// CORS on the router (cors.h): off by default (no header, no grant), preflights answered for
// allowed origins only, TorchServe's plain OPTIONS / untouched; and the docs routes (/openapi.json,
// /docs) through the same router.
#include "frontend/http/cors.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "boost/beast/http/field.hpp"
#include "frontend/http/router.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

std::shared_ptr<HttpRequest> CorsRequest(bhttp::verb method, std::string target,
                                         std::string origin = "", std::string request_method = "") {
  auto request = std::make_shared<HttpRequest>(method, target, 11);
  if (!origin.empty()) request->set(bhttp::field::origin, origin);
  if (!request_method.empty()) {
    request->set(bhttp::field::access_control_request_method, request_method);
  }
  return request;
}

HttpResponse CallRouter(Router& router, std::shared_ptr<HttpRequest> request) {
  std::optional<HttpResponse> out;
  router.Handle(std::move(request), [&](HttpResponse response) { out = std::move(response); });
  EXPECT_TRUE(out.has_value());
  return out.value_or(HttpResponse{});
}

RouterOptions WithCors(std::vector<std::string> origins, core::ApiRestrictions restrictions = {}) {
  RouterOptions options;
  options.cors = CorsPolicy(std::move(origins), restrictions);
  options.restrictions = std::move(restrictions);
  return options;
}

TEST(CorsTest, OffByDefault) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{});
  const HttpResponse live =
      CallRouter(router, CorsRequest(bhttp::verb::get, "/v2/health/live", "https://app.example"));
  EXPECT_EQ(live.result(), bhttp::status::ok);
  EXPECT_EQ(live.count(bhttp::field::access_control_allow_origin), 0u);
  EXPECT_EQ(live.count(bhttp::field::vary), 0u);
  const HttpResponse preflight = CallRouter(
      router,
      CorsRequest(bhttp::verb::options, "/v2/models/m/infer", "https://app.example", "POST"));
  EXPECT_EQ(preflight.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(preflight.count(bhttp::field::access_control_allow_origin), 0u);
  EXPECT_EQ(preflight.count(bhttp::field::access_control_allow_methods), 0u);
}

TEST(CorsTest, PreflightOfAnAllowedOriginIsGranted) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, WithCors({"https://app.example"}));
  const HttpResponse preflight = CallRouter(
      router,
      CorsRequest(bhttp::verb::options, "/v2/models/m/infer", "https://app.example", "POST"));
  EXPECT_EQ(preflight.result(), bhttp::status::ok);
  EXPECT_EQ(preflight[bhttp::field::access_control_allow_origin], "https://app.example");
  EXPECT_EQ(preflight[bhttp::field::access_control_allow_methods], "POST, OPTIONS");
  EXPECT_NE(
      preflight[bhttp::field::access_control_allow_headers].find("Inference-Header-Content-Length"),
      std::string::npos);
  EXPECT_EQ(preflight[bhttp::field::vary], "Origin");
  EXPECT_FALSE(preflight[bhttp::field::access_control_max_age].empty());

  const HttpResponse logging = CallRouter(
      router, CorsRequest(bhttp::verb::options, "/v2/logging", "https://app.example", "POST"));
  EXPECT_EQ(logging[bhttp::field::access_control_allow_methods], "GET, POST, OPTIONS");
}

TEST(CorsTest, OtherOriginsGetNoGrant) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, WithCors({"https://app.example"}));
  for (const char* origin : {"https://evil.example", "http://app.example", "null"}) {
    SCOPED_TRACE(origin);
    const HttpResponse preflight =
        CallRouter(router, CorsRequest(bhttp::verb::options, "/v2/models/m/infer", origin, "POST"));
    EXPECT_NE(preflight.result(), bhttp::status::ok);
    EXPECT_EQ(preflight.count(bhttp::field::access_control_allow_origin), 0u);
    const HttpResponse live =
        CallRouter(router, CorsRequest(bhttp::verb::get, "/v2/health/live", origin));
    EXPECT_EQ(live.count(bhttp::field::access_control_allow_origin), 0u);
    EXPECT_EQ(live[bhttp::field::vary], "Origin");
  }
  // A preflight for a path no route serves is not granted either (a browser needs a 2xx with
  // Access-Control-Allow-Methods).
  const HttpResponse unknown = CallRouter(
      router, CorsRequest(bhttp::verb::options, "/nowhere", "https://app.example", "GET"));
  EXPECT_EQ(unknown.result(), bhttp::status::not_found);
  EXPECT_EQ(unknown.count(bhttp::field::access_control_allow_methods), 0u);
}

TEST(CorsTest, ActualResponsesExposeTheBinaryTensorHeader) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, WithCors({"https://app.example"}));
  const HttpResponse live =
      CallRouter(router, CorsRequest(bhttp::verb::get, "/v2/health/live", "https://app.example"));
  EXPECT_EQ(live.result(), bhttp::status::ok);
  EXPECT_EQ(live[bhttp::field::access_control_allow_origin], "https://app.example");
  EXPECT_NE(
      live[bhttp::field::access_control_expose_headers].find("Inference-Header-Content-Length"),
      std::string::npos);
  // No Origin: not a CORS request, only Vary.
  const HttpResponse plain = CallRouter(router, CorsRequest(bhttp::verb::get, "/v2/health/live"));
  EXPECT_EQ(plain.count(bhttp::field::access_control_allow_origin), 0u);
}

TEST(CorsTest, WildcardOnlyWhenAsked) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, WithCors({"*"}));
  const HttpResponse preflight = CallRouter(
      router,
      CorsRequest(bhttp::verb::options, "/v2/repository/index", "https://x.example", "POST"));
  EXPECT_EQ(preflight.result(), bhttp::status::ok);
  EXPECT_EQ(preflight[bhttp::field::access_control_allow_origin], "*");
  EXPECT_EQ(preflight.count(bhttp::field::vary), 0u);
}

TEST(CorsTest, TorchServeOptionsDescriptionIsNotAPreflight) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, WithCors({"https://app.example"}));
  for (const char* origin : {"", "https://app.example"}) {
    SCOPED_TRACE(origin);
    const HttpResponse description =
        CallRouter(router, CorsRequest(bhttp::verb::options, "/", origin));
    EXPECT_EQ(description.result(), bhttp::status::ok);
    EXPECT_NE(description.body().find("\"openapi\""), std::string::npos);
  }
}

TEST(CorsTest, RestrictedApiHeadersMayBeSent) {
  auto restrictions =
      core::ApiRestrictions::Parse({"inference:X-Infer-Key=s3cret"}, "http-restricted-api", "api");
  ASSERT_TRUE(restrictions.ok());
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {},
                WithCors({"https://app.example"}, *restrictions));
  // The preflight itself carries no key (browsers never send credentials on it).
  const HttpResponse preflight = CallRouter(
      router,
      CorsRequest(bhttp::verb::options, "/v2/models/m/infer", "https://app.example", "POST"));
  EXPECT_EQ(preflight.result(), bhttp::status::ok);
  EXPECT_NE(preflight[bhttp::field::access_control_allow_headers].find("x-infer-key"),
            std::string::npos);
  // The actual call still needs it.
  const HttpResponse refused = CallRouter(
      router, CorsRequest(bhttp::verb::post, "/v2/models/m/infer", "https://app.example"));
  EXPECT_EQ(refused.result(), bhttp::status::forbidden);
  EXPECT_EQ(refused[bhttp::field::access_control_allow_origin], "https://app.example");
}

TEST(CorsTest, ValidatesOrigins) {
  for (const char* good :
       {"*", "https://app.example", "http://localhost:3000", "http://[::1]:80"}) {
    EXPECT_TRUE(ValidateCorsOrigin(good).ok()) << good;
  }
  for (const char* bad : {"", "app.example", "ftp://x", "https://", "https://a/b", "https://a?x",
                          "https://u@a", "null", "https://a.example/"}) {
    const Status status = ValidateCorsOrigin(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(status.message().find("CORS origin"), std::string::npos);
  }
}

TEST(DocsRoutesTest, ServesTheDescriptionAndTheViewer) {
  testing::FakeInferenceService service;
  Router without(service, DecodeLimits{});
  const HttpResponse description =
      CallRouter(without, CorsRequest(bhttp::verb::get, "/openapi.json"));
  EXPECT_EQ(description.result(), bhttp::status::ok);
  EXPECT_NE(description.body().find("\"openapi\":\"3.1.0\""), std::string::npos);
  const HttpResponse missing = CallRouter(without, CorsRequest(bhttp::verb::get, "/docs"));
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_NE(missing.body().find("--http-docs-dir"), std::string::npos);

  const auto dir =
      std::filesystem::temp_directory_path() / ("inferd_docs_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (std::string_view name : SwaggerUiAssets::RequiredFiles()) {
    std::ofstream(dir / name) << "/* " << name << " */";
  }
  auto assets = SwaggerUiAssets::Load(dir);
  std::filesystem::remove(dir / "favicon-16x16.png");
  EXPECT_EQ(SwaggerUiAssets::Load(dir).status().code(), absl::StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(assets.ok()) << assets.status();
  RouterOptions options;
  options.docs = *assets;
  Router router(service, DecodeLimits{}, nullptr, {}, std::move(options));
  for (const char* target : {"/docs", "/docs/"}) {
    const HttpResponse page = CallRouter(router, CorsRequest(bhttp::verb::get, target));
    EXPECT_EQ(page.result(), bhttp::status::ok) << target;
    EXPECT_EQ(page[bhttp::field::content_type], "text/html; charset=utf-8");
    EXPECT_NE(page.body().find("/docs/swagger-ui-bundle.js"), std::string::npos);
  }
  const HttpResponse init =
      CallRouter(router, CorsRequest(bhttp::verb::get, "/docs/swagger-init.js"));
  EXPECT_NE(init.body().find("\"/openapi.json\""), std::string::npos);
  const HttpResponse css =
      CallRouter(router, CorsRequest(bhttp::verb::get, "/docs/swagger-ui.css"));
  EXPECT_EQ(css.result(), bhttp::status::ok);
  EXPECT_EQ(css[bhttp::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(css.body(), "/* swagger-ui.css */");
  for (const char* target : {"/docs/..%2Fetc%2Fpasswd", "/docs/index.js", "/docs/a/b"}) {
    EXPECT_EQ(CallRouter(router, CorsRequest(bhttp::verb::get, target)).result(),
              bhttp::status::not_found)
        << target;
  }
  EXPECT_EQ(CallRouter(router, CorsRequest(bhttp::verb::post, "/docs")).result(),
            bhttp::status::method_not_allowed);
}

}  // namespace
}  // namespace inferd::frontend::http
