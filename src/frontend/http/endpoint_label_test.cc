#include "frontend/http/endpoint_label.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "frontend/http/router.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

// The label the router counts a request under.
class EndpointLabelTest : public ::testing::Test {
 protected:
  std::string Label(bhttp::verb method, const std::string& target, std::string body = "") {
    std::vector<uint64_t> before(HttpEndpoints().size());
    for (size_t i = 0; i < before.size(); ++i) before[i] = Total(i);
    auto request = std::make_shared<HttpRequest>(method, target, 11);
    request->body() = std::move(body);
    bool answered = false;
    router_.Handle(request, [&](HttpResponse) { answered = true; });
    EXPECT_TRUE(answered) << target;
    std::string label = "(none)";
    for (size_t i = 0; i < before.size(); ++i) {
      if (Total(i) == before[i] + 1) label = HttpEndpoints()[i];
    }
    return label;
  }
  uint64_t Total(size_t endpoint) const {
    uint64_t total = 0;
    for (int code = 0; code <= 599; ++code) total += counters_.Value(endpoint, code);
    return total;
  }

  testing::FakeInferenceService service_;
  metrics::StatusCounters counters_{HttpEndpoints(), 599};
  Router router_{service_, DecodeLimits{}, nullptr, {}, RouterOptions{{}, &counters_}};
};

TEST_F(EndpointLabelTest, KServeLabelsKeepTheirValues) {
  using bhttp::verb;
  EXPECT_EQ(Label(verb::post, "/v2/models/echo/infer", "{"), "infer");
  EXPECT_EQ(Label(verb::post, "/v2/models/echo/versions/3/infer?x=1", "{"), "infer");
  EXPECT_EQ(Label(verb::get, "/v2/health/ready"), "health");
  EXPECT_EQ(Label(verb::get, "/v2/health/live"), "health");
  EXPECT_EQ(Label(verb::get, "/v2"), "server_metadata");
  EXPECT_EQ(Label(verb::get, "/v2/models/echo"), "model_metadata");
  EXPECT_EQ(Label(verb::get, "/v2/models/echo/versions/1"), "model_metadata");
  EXPECT_EQ(Label(verb::get, "/v2/models/echo/ready"), "model_ready");
  EXPECT_EQ(Label(verb::get, "/v2/models/echo/config"), "model_config");
  EXPECT_EQ(Label(verb::get, "/v2/models/stats"), "statistics");
  EXPECT_EQ(Label(verb::get, "/v2/models/echo/stats"), "statistics");
  EXPECT_EQ(Label(verb::post, "/v2/repository/index"), "repository");
  EXPECT_EQ(Label(verb::get, "/v2/logging"), "logging");
  EXPECT_EQ(Label(verb::get, "/v2/trace/setting"), "trace");
  // A known path with the wrong method is still that route's.
  EXPECT_EQ(Label(verb::get, "/v2/models/echo/infer"), "infer");
}

TEST_F(EndpointLabelTest, EveryDialectRouteHasItsOwnLabel) {
  using bhttp::verb;
  const std::string tensor = R"({"instances": [[1, 2, 3, 4]]})";
  EXPECT_EQ(Label(verb::post, "/v1/models/echo:predict", tensor), "tfs_predict");
  EXPECT_EQ(Label(verb::post, "/v1/models/echo/versions/1:predict", tensor), "tfs_predict");
  EXPECT_EQ(Label(verb::post, "/v1/models/echo/labels/stable:predict", tensor), "tfs_predict");
  EXPECT_EQ(Label(verb::post, "/v1/models/echo:classify", "{}"), "tfs_classify");
  EXPECT_EQ(Label(verb::post, "/v1/models/echo:regress", "{}"), "tfs_regress");
  EXPECT_EQ(Label(verb::get, "/v1/models/echo"), "tfs_model_status");
  EXPECT_EQ(Label(verb::get, "/v1/models/echo/versions/1"), "tfs_model_status");
  EXPECT_EQ(Label(verb::get, "/v1/models/echo/metadata"), "tfs_model_metadata");
  EXPECT_EQ(Label(verb::get, "/v1/models/echo/labels/x/metadata"), "tfs_model_metadata");
  EXPECT_EQ(Label(verb::options, "/"), "torchserve_api_description");
  EXPECT_EQ(Label(verb::get, "/ping"), "torchserve_ping");
  EXPECT_EQ(Label(verb::post, "/ping"), "torchserve_ping");
  EXPECT_EQ(Label(verb::post, "/predictions/echo", "[[1,2,3,4]]"), "torchserve_predictions");
  EXPECT_EQ(Label(verb::put, "/predictions/echo/1", "[[1,2,3,4]]"), "torchserve_predictions");
  EXPECT_EQ(Label(verb::get, "/models"), "torchserve_list_models");
  EXPECT_EQ(Label(verb::get, "/models/"), "torchserve_list_models");
  EXPECT_EQ(Label(verb::post, "/models?url=echo"), "torchserve_register");
  EXPECT_EQ(Label(verb::get, "/models/echo"), "torchserve_describe");
  EXPECT_EQ(Label(verb::get, "/models/echo/all"), "torchserve_describe");
  EXPECT_EQ(Label(verb::put, "/models/echo?min_worker=1"), "torchserve_scale");
  EXPECT_EQ(Label(verb::delete_, "/models/echo/1"), "torchserve_unregister");
  EXPECT_EQ(Label(verb::put, "/models/echo/1/set-default"), "torchserve_set_default");
  EXPECT_EQ(Label(verb::post, "/predict", "x"), "predict");
  EXPECT_EQ(Label(verb::post, "/predict/echo/versions/1", "x"), "predict");
  EXPECT_EQ(Label(verb::get, "/health"), "predict_health");
  EXPECT_EQ(Label(verb::get, "/console"), "console");
  EXPECT_EQ(Label(verb::get, "/console/console.js"), "console");
  EXPECT_EQ(Label(verb::get, "/console/console.css"), "console");
  EXPECT_EQ(Label(verb::get, "/console/stats"), "console_stats");
}

TEST_F(EndpointLabelTest, UnknownUrlsAreNotFoundNotOther) {
  using bhttp::verb;
  EXPECT_EQ(Label(verb::get, "/metrics"), "not_found");
  EXPECT_EQ(Label(verb::get, "garbage"), "not_found");
  EXPECT_EQ(Label(verb::get, "/v1/models"), "not_found");         // TF Serving's 400 shape
  EXPECT_EQ(Label(verb::get, "/models/a/b/c/d/e"), "not_found");  // TorchServe's 404 shape
  EXPECT_EQ(Label(verb::get, "/"), "not_found");
  EXPECT_EQ(HttpEndpoints().back(), "other");
  EXPECT_EQ(HttpEndpointIndex("no such label"), HttpEndpoints().size() - 1);
}

TEST_F(EndpointLabelTest, NoServedRouteIsLabelledOther) {
  for (const Dialect* dialect : AllDialects()) {
    for (const Route& route : dialect->routes) {
      EXPECT_NE(route.label, kOtherEndpoint) << route.pattern;
      EXPECT_NE(route.label, kNotFoundEndpoint) << route.pattern;
      EXPECT_LT(HttpEndpointIndex(route.label), HttpEndpoints().size() - 1) << route.pattern;
    }
  }
}

}  // namespace
}  // namespace inferd::frontend::http
