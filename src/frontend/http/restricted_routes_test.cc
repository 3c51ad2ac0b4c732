// Restricted APIs on every HTTP route: walks the full route table and proves each category is
// enforced (403 naming the header without it, the handler's answer with it) and that restricting
// one category leaves every other category's routes alone.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "frontend/http/router.h"
#include "testing/fake_inference_service.h"
#include "testing/route_sample.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using core::ApiCategory;

// The response, or nullopt when the handler completes later (load/unload on a real facade).
std::optional<HttpResponse> Call(Router& router, const Route& route, const std::string& header) {
  auto request = std::make_shared<HttpRequest>(route.method, Sample(route.pattern), 11);
  if (!header.empty()) request->set(header, "s3cret");
  std::optional<HttpResponse> out;
  router.Handle(request, [&](HttpResponse response) { out = std::move(response); });
  return out;
}

TEST(RestrictedRoutesTest, EveryCategoryIsEnforcedOnEveryRoute) {
  for (ApiCategory restricted : core::AllApiCategories()) {
    const std::string flag = std::string(core::ApiCategoryName(restricted)) + ":X-Admin-Key=s3cret";
    auto restrictions = core::ApiRestrictions::Parse({flag}, "http-restricted-api", "api");
    ASSERT_TRUE(restrictions.ok());
    testing::FakeInferenceService service;
    Router router(service, DecodeLimits{}, nullptr, {}, RouterOptions{*restrictions, nullptr});
    for (const Dialect* dialect : AllDialects()) {
      for (const Route& route : dialect->routes) {
        SCOPED_TRACE(std::string(bhttp::to_string(route.method)) + " " +
                     std::string(route.pattern) + " with " + flag);
        const auto without = Call(router, route, "");
        ASSERT_TRUE(without.has_value());
        if (route.category == restricted) {
          EXPECT_EQ(without->result(), bhttp::status::forbidden);
          EXPECT_EQ(without->body(),
                    R"({"error":"This API is restricted, expecting header 'x-admin-key'"})");
          const auto with = Call(router, route, "x-admin-key");
          if (with.has_value()) {
            EXPECT_NE(with->result(), bhttp::status::forbidden);
          }
          const auto wrong = Call(router, route, "x-other-key");
          ASSERT_TRUE(wrong.has_value());
          EXPECT_EQ(wrong->result(), bhttp::status::forbidden);
        } else {
          EXPECT_NE(without->result(), bhttp::status::forbidden);
        }
      }
    }
  }
}

TEST(RestrictedRoutesTest, TheCategoriesTheIssueNames) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{});
  const auto category = [&](bhttp::verb method, const char* target) {
    const Route* route = router.Find(method, target);
    return route == nullptr ? std::string("(none)")
                            : std::string(core::ApiCategoryName(route->category));
  };
  EXPECT_EQ(category(bhttp::verb::post, "/models?url=x"), "model-repository");
  EXPECT_EQ(category(bhttp::verb::delete_, "/models/m"), "model-repository");
  EXPECT_EQ(category(bhttp::verb::put, "/models/m?min_worker=2"), "model-repository");
  EXPECT_EQ(category(bhttp::verb::put, "/models/m/1/set-default"), "model-repository");
  EXPECT_EQ(category(bhttp::verb::get, "/models"), "model-repository");
  EXPECT_EQ(category(bhttp::verb::get, "/v1/models/m"), "metadata");
  EXPECT_EQ(category(bhttp::verb::post, "/predict"), "inference");
  EXPECT_EQ(category(bhttp::verb::post, "/v2/repository/models/m/load"), "model-repository");
  EXPECT_EQ(category(bhttp::verb::get, "/v2/models/m/config"), "model-config");
  EXPECT_EQ(category(bhttp::verb::post, "/v2/logging"), "logging");
  EXPECT_EQ(category(bhttp::verb::post, "/v2/trace/setting"), "trace");
}

TEST(RestrictedRoutesTest, UnroutedRequestsAreNotForbidden) {
  auto restrictions = core::ApiRestrictions::Parse(
      {"health,metadata,inference,shared-memory,model-config,model-repository,statistics,trace,"
       "logging:k=v"},
      "http-restricted-api", "api");
  ASSERT_TRUE(restrictions.ok());
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, RouterOptions{*restrictions, nullptr});
  auto request = std::make_shared<HttpRequest>(bhttp::verb::get, "/nowhere", 11);
  std::optional<HttpResponse> out;
  router.Handle(request, [&](HttpResponse response) { out = std::move(response); });
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->result(), bhttp::status::not_found);
}

}  // namespace
}  // namespace inferd::frontend::http
