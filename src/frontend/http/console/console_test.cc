// The console's pieces without a server: the percentile of a histogram, escaping, the
// server-rendered page and the figures' JSON through the router (restricted APIs included).
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "frontend/http/console/console_assets.h"
#include "frontend/http/console/console_page.h"
#include "frontend/http/console/console_stats.h"
#include "frontend/http/router.h"
#include "rapidjson/document.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

core::HistogramSnapshot ConsoleHistogram(std::vector<uint64_t> counts) {
  return {{100, 200, 400}, std::move(counts), 0};
}

TEST(ConsoleStatsTest, QuantileInterpolatesInsideTheBucket) {
  EXPECT_FALSE(HistogramQuantile(ConsoleHistogram({0, 0, 0, 0}), 0.5).has_value());
  EXPECT_DOUBLE_EQ(*HistogramQuantile(ConsoleHistogram({0, 10, 10, 0}), 0.5), 200.0);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(ConsoleHistogram({0, 10, 10, 0}), 0.95), 380.0);
  EXPECT_DOUBLE_EQ(*HistogramQuantile(ConsoleHistogram({4, 0, 0, 0}), 0.5), 50.0);
  // Above every bound: the largest bound.
  EXPECT_DOUBLE_EQ(*HistogramQuantile(ConsoleHistogram({0, 0, 0, 5}), 0.5), 400.0);
  // A malformed snapshot (counts not bounds + 1) has no answer rather than a wrong one.
  EXPECT_FALSE(HistogramQuantile({{100}, {1, 2, 3}, 0}, 0.5).has_value());
}

TEST(ConsoleStatsTest, JsonCarriesCountersHistogramAndPercentiles) {
  core::ModelStatistics m;
  m.name = "simple";
  m.version = "1";
  m.inference_count = 20;
  m.inference_stats.success = {20, 4000000};
  m.inference_stats.fail = {2, 100};
  m.inference_stats.queue = {20, 200000};
  m.failures[static_cast<size_t>(core::FailureReason::kRejected)] = 2;
  m.histograms.request_us = ConsoleHistogram({0, 10, 10, 0});
  const std::string json = ConsoleStatsJson({m}, 1234);
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(json.c_str()).HasParseError()) << json;
  EXPECT_EQ(doc["time_ms"].GetUint64(), 1234u);
  const auto& model = doc["models"][0];
  EXPECT_STREQ(model["name"].GetString(), "simple");
  EXPECT_EQ(model["success"].GetUint64(), 20u);
  EXPECT_EQ(model["fail"].GetUint64(), 2u);
  EXPECT_EQ(model["failures"]["REJECTED"].GetUint64(), 2u);
  EXPECT_EQ(model["queue"]["ns"].GetUint64(), 200000u);
  EXPECT_EQ(model["latency_us"]["counts"].Size(), 4u);
  EXPECT_DOUBLE_EQ(model["p50_us"].GetDouble(), 200.0);
  EXPECT_DOUBLE_EQ(model["p95_us"].GetDouble(), 380.0);
  core::ModelStatistics idle;
  idle.name = "idle";
  ASSERT_FALSE(doc.Parse(ConsoleStatsJson({idle}, 1).c_str()).HasParseError());
  EXPECT_TRUE(doc["models"][0]["p50_us"].IsNull());
}

TEST(ConsolePageTest, EscapesAndEncodes) {
  EXPECT_EQ(HtmlEscape(R"(<a href='x'>&"</a>)"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(PathSegmentEncode("a b/\xC3\xBC-_.~"), "a%20b%2F%C3%BC-_.~");
  EXPECT_EQ(FormatMicros(std::nullopt), "\xE2\x80\x94");
  EXPECT_EQ(FormatMicros(830), "830 \xC2\xB5s");
  EXPECT_EQ(FormatMicros(1250), "1.25 ms");
  EXPECT_EQ(FormatMicros(2.5e6), "2.50 s");
}

struct ConsoleCall {
  HttpResponse response;
  bool answered = false;
};

ConsoleCall GetConsole(Router& router, const std::string& target, const std::string& key = "") {
  auto request = std::make_shared<HttpRequest>(bhttp::verb::get, target, 11);
  if (!key.empty()) request->set("x-admin-key", key);
  ConsoleCall call;
  router.Handle(request, [&](HttpResponse response) {
    call.response = std::move(response);
    call.answered = true;
  });
  return call;
}

TEST(ConsolePageTest, ListsEveryModelWithStateReasonAndTensors) {
  testing::FakeInferenceService service;
  service.index = {{"echo", "1", "READY", "", "0123456789abcdef0123", ""},
                   {"<img src=x onerror=alert(1)>", "1", "UNAVAILABLE", "bad <config>"}};
  Router router(service, DecodeLimits{});
  const ConsoleCall call = GetConsole(router, "/console");
  ASSERT_TRUE(call.answered);
  EXPECT_EQ(call.response.result(), bhttp::status::ok);
  EXPECT_EQ(call.response[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(call.response["Content-Security-Policy"], "");
  const std::string& page = call.response.body();
  EXPECT_NE(page.find("<tr data-model=\"echo\" data-version=\"1\">"), std::string::npos);
  EXPECT_NE(page.find("onnxruntime_onnx"), std::string::npos);
  EXPECT_NE(page.find("x <span>FP32 [-1,4]</span>"), std::string::npos);
  EXPECT_NE(page.find("title=\"0123456789abcdef0123\""), std::string::npos);
  EXPECT_NE(page.find("action=\"/v2/repository/models/echo/unload\""), std::string::npos);
  // A failed model: its state, its reason and a Load button, all escaped.
  EXPECT_NE(page.find("<div class=\"reason\">bad &lt;config&gt;</div>"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("/v2/repository/models/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/load"),
            std::string::npos);
  // No restriction, no key field; the fake's echo model has no image pipeline.
  EXPECT_EQ(page.find("id=\"keys\""), std::string::npos);
  EXPECT_EQ(page.find("id=\"uploads\""), std::string::npos);
}

TEST(ConsolePageTest, ServesItsScriptStyleAndFigures) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{});
  const ConsoleCall script = GetConsole(router, "/console/console.js");
  EXPECT_EQ(script.response.result(), bhttp::status::ok);
  EXPECT_EQ(script.response[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(script.response.body(), std::string(ConsoleScript()));
  EXPECT_NE(script.response.body().find("/console/stats"), std::string::npos);
  const ConsoleCall style = GetConsole(router, "/console/console.css");
  EXPECT_EQ(style.response[bhttp::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(style.response.body(), std::string(ConsoleStyle()));
  const ConsoleCall stats = GetConsole(router, "/console/stats");
  EXPECT_EQ(stats.response.result(), bhttp::status::ok);
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(stats.response.body().c_str()).HasParseError());
  EXPECT_TRUE(doc["models"].IsArray());
  EXPECT_EQ(GetConsole(router, "/console/nope").response.result(), bhttp::status::not_found);
}

TEST(ConsolePageTest, RestrictedCategoriesOfferKeyFieldsAndHideWhatNeedsThem) {
  auto restrictions = core::ApiRestrictions::Parse(
      {"model-repository,statistics:X-Admin-Key=s3cret"}, "http-restricted-api", "api");
  ASSERT_TRUE(restrictions.ok());
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{}, nullptr, {}, RouterOptions{*restrictions, nullptr});
  const ConsoleCall without = GetConsole(router, "/console");
  ASSERT_EQ(without.response.result(), bhttp::status::ok);
  const std::string& page = without.response.body();
  EXPECT_NE(page.find("data-header=\"x-admin-key\""), std::string::npos);
  EXPECT_NE(page.find("(statistics, model-repository)"), std::string::npos);
  EXPECT_NE(page.find("id=\"index-note\""), std::string::npos);
  EXPECT_NE(page.find("statistics are restricted"), std::string::npos);
  EXPECT_EQ(GetConsole(router, "/console/stats").response.result(), bhttp::status::forbidden);

  const ConsoleCall with = GetConsole(router, "/console", "s3cret");
  EXPECT_EQ(with.response.body().find("id=\"index-note\""), std::string::npos);
  EXPECT_NE(with.response.body().find("bad config"), std::string::npos);
  EXPECT_EQ(with.response.body().find("s3cret"), std::string::npos);  // the key is never echoed
  EXPECT_EQ(GetConsole(router, "/console/stats", "s3cret").response.result(), bhttp::status::ok);
}

}  // namespace
}  // namespace inferd::frontend::http
