#include "frontend/http/router.h"

#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

class RouterTest : public ::testing::Test {
 protected:
  HttpResponse Call(bhttp::verb method, const std::string& target, std::string body = "") {
    auto request = std::make_shared<HttpRequest>(method, target, 11);
    request->body() = std::move(body);
    std::optional<HttpResponse> out;
    router_.Handle(request, [&](HttpResponse response) { out = std::move(response); });
    EXPECT_TRUE(out.has_value());  // the fake completes inline
    return out.value_or(HttpResponse{});
  }

  testing::FakeInferenceService service_;
  Router router_{service_, DecodeLimits{}};
};

TEST_F(RouterTest, HealthAndServerMetadata) {
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/health/live").result(), bhttp::status::ok);
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/health/ready").result(), bhttp::status::ok);
  service_.ready = false;
  auto not_ready = Call(bhttp::verb::get, "/v2/health/ready");
  EXPECT_EQ(not_ready.result(), bhttp::status::bad_request);
  EXPECT_TRUE(not_ready.body().empty());
  EXPECT_EQ(Call(bhttp::verb::get, "/v2").body(),
            R"({"name":"inferd","version":"0.1.0","extensions":["binary_tensor_data"]})");
}

TEST_F(RouterTest, ModelEndpoints) {
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/echo").body(),
            R"({"name":"echo","versions":["1"],"platform":"onnxruntime_onnx",)"
            R"("inputs":[{"name":"x","datatype":"FP32","shape":[-1,4]}],)"
            R"("outputs":[{"name":"x","datatype":"FP32","shape":[-1,4]}]})");
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/%65cho/versions/1/ready").result(),
            bhttp::status::ok);
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/nope/ready").result(), bhttp::status::bad_request);
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/nope").result(), bhttp::status::not_found);
  auto config = Call(bhttp::verb::get, "/v2/models/echo/config");
  EXPECT_EQ(config.result(), bhttp::status::ok);
  EXPECT_NE(config.body().find(R"("dims":[4])"), std::string::npos) << config.body();
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/echo/versions/0").result(),
            bhttp::status::bad_request);
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/echo/versions/x1").result(),
            bhttp::status::bad_request);
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/e%zz").result(), bhttp::status::bad_request);
}

TEST_F(RouterTest, RepositoryIndex) {
  const std::string expected = R"([{"name":"echo","version":"1","state":"READY"},)"
                               R"({"name":"broken","state":"UNAVAILABLE","reason":"bad config"}])";
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/repository/index").body(), expected);
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/repository/index", R"({"ready":true})").body(), expected);
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/repository/index", "{").result(),
            bhttp::status::bad_request);
}

TEST_F(RouterTest, NotFoundAndMethodNotAllowed) {
  auto missing = Call(bhttp::verb::get, "/v3/whatever");
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_EQ(missing.body(), R"({"error":"Not Found"})");
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/echo/stats2").result(), bhttp::status::not_found);
  EXPECT_EQ(Call(bhttp::verb::get, "").result(), bhttp::status::not_found);
  EXPECT_EQ(Call(bhttp::verb::get, "/v2/models/echo/infer").result(),
            bhttp::status::method_not_allowed);
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/health/live").result(), bhttp::status::method_not_allowed);
}

TEST_F(RouterTest, InferErrorsMapToHttp) {
  const std::string body = R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]})";
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/models/echo/infer", body).result(), bhttp::status::ok);
  service_.infer_error = absl::UnavailableError("queue full");
  auto busy = Call(bhttp::verb::post, "/v2/models/echo/infer", body);
  EXPECT_EQ(busy.result(), bhttp::status::service_unavailable);
  EXPECT_EQ(busy[bhttp::field::retry_after], "1");
  EXPECT_EQ(busy.body(), R"({"error":"queue full"})");
  service_.infer_error = absl::NotFoundError("no model");
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/models/x/infer", body).result(), bhttp::status::not_found);
  service_.infer_error = absl::InternalError("boom");
  EXPECT_EQ(Call(bhttp::verb::post, "/v2/models/x/infer", body).result(),
            bhttp::status::internal_server_error);
}

}  // namespace
}  // namespace inferd::frontend::http

namespace inferd::frontend::http {
namespace {

TEST_F(RouterTest, HealthAliasAndPredictRoutes) {
  auto health = Call(bhttp::verb::get, "/health");
  EXPECT_EQ(health.result(), bhttp::status::ok);
  EXPECT_EQ(health.body(), R"({"status":"ok","ready":true})");
  service_.ready = false;
  EXPECT_EQ(Call(bhttp::verb::get, "/health").body(), R"({"status":"ok","ready":false})");
  EXPECT_EQ(Call(bhttp::verb::post, "/health").result(), bhttp::status::method_not_allowed);
  // No ModelFiles given to this router: image prediction is off.
  EXPECT_EQ(Call(bhttp::verb::post, "/predict/echo", "x").result(), bhttp::status::not_implemented);
  EXPECT_EQ(Call(bhttp::verb::get, "/predict/echo").result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(Call(bhttp::verb::post, "/predict/echo/ready").result(), bhttp::status::not_found);
  EXPECT_EQ(Call(bhttp::verb::post, "/predict/echo/versions/x").result(),
            bhttp::status::bad_request);
}

HttpRequest Head(bhttp::verb method, const std::string& target) {
  HttpRequest head(method, target, 11);
  head.set(bhttp::field::content_length, "100");
  return head;
}

// The check the session runs on a request head: only inference routes that name their model,
// only while the model is full; answered (and counted) like a handled request.
TEST_F(RouterTest, RefuseOnHeadOnlyForAFullModelsInferenceRoutes) {
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::post, "/v2/models/echo/infer")));
  service_.full = true;
  auto refused = router_.RefuseOnHead(Head(bhttp::verb::post, "/v2/models/echo/infer?x=1"));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result(), bhttp::status::service_unavailable);
  EXPECT_EQ((*refused)[bhttp::field::retry_after], "1");
  EXPECT_EQ(refused->body(),
            "{\"error\":\"model 'echo' cannot take more requests now (queue full or server at "
            "capacity)\"}");
  auto torchserve = router_.RefuseOnHead(Head(bhttp::verb::put, "/predictions/echo"));
  ASSERT_TRUE(torchserve.has_value());
  EXPECT_NE(torchserve->body().find("ServiceUnavailableException"), std::string::npos);
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::get, "/v2/models/echo")));
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::post, "/v2/repository/models/echo/load")));
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::post, "/v1/models/echo/labels/a:predict")));
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::post, "/v2/models/e%zz/infer")));
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::post, "/predict")));  // default model
  EXPECT_FALSE(router_.RefuseOnHead(Head(bhttp::verb::post, "/nope")));
}

// A caller the restricted APIs refuse gets its 403 from Handle, not a 503 that reveals load.
TEST(RouterRestrictedTest, RefuseOnHeadLeavesRestrictedCallersToTheirForbidden) {
  testing::FakeInferenceService service;
  service.full = true;
  auto restrictions =
      core::ApiRestrictions::Parse({"inference:infer-key=secret"}, "http-restricted-api", "api");
  ASSERT_TRUE(restrictions.ok()) << restrictions.status();
  Router router(service, DecodeLimits{}, nullptr, {}, RouterOptions{*restrictions, nullptr});
  HttpRequest head = Head(bhttp::verb::post, "/v2/models/echo/infer");
  EXPECT_FALSE(router.RefuseOnHead(head).has_value());
  head.set("infer-key", "secret");
  auto refused = router.RefuseOnHead(head);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->result(), bhttp::status::service_unavailable);
}

}  // namespace
}  // namespace inferd::frontend::http
