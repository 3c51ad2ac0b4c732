// The TF Serving and TorchServe dialects through the Router, against the fake facade (echo model:
// input "x" FP32 [-1,4], echoed as output "x").
#include <memory>
#include <optional>
#include <string>

#include "frontend/http/router.h"
#include "frontend/http/torchserve/torchserve_handlers.h"
#include "frontend/http/torchserve/torchserve_management.h"
#include "frontend/http/url_util.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "testing/fake_inference_service.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

class DialectsRouterTest : public ::testing::Test {
 protected:
  HttpResponse Call(bhttp::verb method, const std::string& target, std::string body = "",
                    std::string content_type = "") {
    auto request = std::make_shared<HttpRequest>(method, target, 11);
    request->body() = std::move(body);
    if (!content_type.empty()) request->set(bhttp::field::content_type, content_type);
    std::optional<HttpResponse> out;
    router_.Handle(request, [&](HttpResponse response) { out = std::move(response); });
    EXPECT_TRUE(out.has_value());  // the fake completes inline
    return out.value_or(HttpResponse{});
  }

  testing::FakeInferenceService service_;
  Router router_{service_, DecodeLimits{}};
};

TEST_F(DialectsRouterTest, TfServingPredictStatusMetadata) {
  auto row = Call(bhttp::verb::post, "/v1/models/echo:predict",
                  R"({"instances": [[1, 2, 3, 4], [5, 6, 7, 8]]})");
  EXPECT_EQ(row.result(), bhttp::status::ok);
  EXPECT_EQ(row.body(), R"({"predictions":[[1,2,3,4],[5,6,7,8]]})");
  auto columnar = Call(bhttp::verb::post, "/v1/models/echo/versions/1:predict",
                       R"({"inputs": {"x": [[1, 2, 3, 4]]}})");
  EXPECT_EQ(columnar.body(), R"({"outputs":[[1,2,3,4]]})");

  EXPECT_EQ(Call(bhttp::verb::get, "/v1/models/echo").body(),
            R"({"model_version_status":[{"version":"1","state":"AVAILABLE",)"
            R"("status":{"error_code":"OK","error_message":""}}]})");
  auto missing = Call(bhttp::verb::get, "/v1/models/broken");
  EXPECT_EQ(missing.result(), bhttp::status::not_found);
  EXPECT_EQ(missing.body(), R"({"error":"Could not find any versions of model broken"})");

  auto metadata = Call(bhttp::verb::get, "/v1/models/echo/metadata");
  EXPECT_EQ(metadata.result(), bhttp::status::ok);
  rapidjson::Document doc;
  doc.Parse(metadata.body().c_str());
  ASSERT_FALSE(doc.HasParseError()) << metadata.body();
  EXPECT_STREQ(doc["model_spec"]["version"].GetString(), "1");
  const auto& x =
      doc["metadata"]["signature_def"]["signature_def"]["serving_default"]["inputs"]["x"];
  EXPECT_STREQ(x["dtype"].GetString(), "DT_FLOAT");
  EXPECT_STREQ(x["tensor_shape"]["dim"][0]["size"].GetString(), "-1");
  EXPECT_STREQ(x["tensor_shape"]["dim"][1]["size"].GetString(), "4");
}

TEST_F(DialectsRouterTest, TfServingStatusOfLoadingAndFailedVersions) {
  service_.index.push_back({"echo", "3", "UNAVAILABLE", "model.onnx: not an ONNX file"});
  service_.index.push_back({"echo", "2", "LOADING", ""});
  EXPECT_EQ(
      Call(bhttp::verb::get, "/v1/models/echo").body(),
      R"({"model_version_status":[)"
      R"({"version":"3","state":"END","status":)"
      R"({"error_code":"UNKNOWN","error_message":"model.onnx: not an ONNX file"}},)"
      R"({"version":"2","state":"LOADING","status":{"error_code":"OK","error_message":""}},)"
      R"({"version":"1","state":"AVAILABLE","status":{"error_code":"OK","error_message":""}}]})");
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/models/echo/versions/3").body(),
            R"({"model_version_status":[{"version":"3","state":"END","status":)"
            R"({"error_code":"UNKNOWN","error_message":"model.onnx: not an ONNX file"}}]})");
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/models/echo/versions/4").result(),
            bhttp::status::not_found);
}

TEST_F(DialectsRouterTest, TfServingErrors) {
  auto malformed = Call(bhttp::verb::get, "/v1/models/echo:predict");
  EXPECT_EQ(malformed.result(), bhttp::status::bad_request);
  EXPECT_EQ(malformed.body(), R"({"error":"Malformed request: GET /v1/models/echo:predict"})");
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/models/echo:explain", "{}").result(),
            bhttp::status::bad_request);
  EXPECT_EQ(Call(bhttp::verb::get, "/v1/models/echo/versions/x").result(),
            bhttp::status::bad_request);
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/models/echo:classify", "{}").result(),
            bhttp::status::not_implemented);
  auto label = Call(bhttp::verb::post, "/v1/models/echo/labels/stable:predict", "{}");
  EXPECT_EQ(label.result(), bhttp::status::bad_request);
  EXPECT_EQ(label.body(), R"({"error":"Unrecognized servable version label: stable"})");
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/models/nope:predict", R"({"inputs": 1})").result(),
            bhttp::status::not_found);
  EXPECT_EQ(Call(bhttp::verb::post, "/v1/models/echo:predict", "{bad").result(),
            bhttp::status::bad_request);
  service_.infer_error = absl::ResourceExhaustedError("queue full");
  EXPECT_EQ(
      Call(bhttp::verb::post, "/v1/models/echo:predict", R"({"inputs": [[1,2,3,4]]})").result(),
      bhttp::status::too_many_requests);
}

TEST_F(DialectsRouterTest, TorchServeInferenceApi) {
  auto ping = Call(bhttp::verb::get, "/ping");
  EXPECT_EQ(ping.result(), bhttp::status::ok);
  EXPECT_EQ(ping.body(), R"({"status":"Healthy"})");
  service_.ready = false;
  auto unhealthy = Call(bhttp::verb::get, "/ping");
  EXPECT_EQ(unhealthy.result(), bhttp::status::internal_server_error);
  EXPECT_EQ(unhealthy.body(), R"({"status":"Unhealthy"})");

  auto predicted =
      Call(bhttp::verb::post, "/predictions/echo", "[[1, 2, 3, 4]]", "application/json");
  EXPECT_EQ(predicted.result(), bhttp::status::ok);
  EXPECT_EQ(predicted.body(), "[[1,2,3,4]]");
  EXPECT_EQ(Call(bhttp::verb::post, "/predictions/echo/1.0", R"({"x": [[1, 2, 3, 4]]})").body(),
            "[[1,2,3,4]]");  // no content type: sniffed as JSON
  auto image = Call(bhttp::verb::post, "/predictions/echo", "\xff\xd8\xff", "image/jpeg");
  EXPECT_EQ(image.result(), bhttp::status::unsupported_media_type);
  EXPECT_NE(image.body().find("preprocessing pipeline"), std::string::npos);
  auto unknown = Call(bhttp::verb::post, "/predictions/nope", "[1]", "application/json");
  EXPECT_EQ(unknown.result(), bhttp::status::not_found);
  EXPECT_NE(unknown.body().find(R"("type":"ModelNotFoundException")"), std::string::npos);
  EXPECT_NE(unknown.body().find(R"("code":404)"), std::string::npos);
  EXPECT_EQ(Call(bhttp::verb::post, "/predictions/echo/1.5", "[1]").result(),
            bhttp::status::not_found);
  EXPECT_EQ(Call(bhttp::verb::get, "/predictions/echo").result(),
            bhttp::status::method_not_allowed);

  auto api = Call(bhttp::verb::options, "/");
  EXPECT_EQ(api.result(), bhttp::status::ok);
  rapidjson::Document doc;
  doc.Parse(api.body().c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_TRUE(doc["paths"].HasMember("/predictions/{model_name}"));
  EXPECT_TRUE(doc["paths"].HasMember("/models/{model_name}/{model_version}/set-default"));
  EXPECT_EQ(Call(bhttp::verb::get, "/").result(), bhttp::status::not_found);  // KServe's 404
}

TEST_F(DialectsRouterTest, TorchServeManagementApi) {
  EXPECT_EQ(Call(bhttp::verb::get, "/models").body(),
            R"({"models":[{"modelName":"echo","modelUrl":"echo"}]})");
  EXPECT_EQ(Call(bhttp::verb::get, "/models?limit=1&next_page_token=1").body(), R"({"models":[]})");
  EXPECT_EQ(Call(bhttp::verb::get, "/models?limit=0").body(),
            R"({"nextPageToken":"0","models":[]})");
  EXPECT_EQ(Call(bhttp::verb::get, "/models?limit=x").result(), bhttp::status::bad_request);
  auto described = Call(bhttp::verb::get, "/models/echo");
  EXPECT_EQ(described.result(), bhttp::status::ok);
  EXPECT_NE(described.body().find(R"("modelVersion":"1")"), std::string::npos);
  EXPECT_NE(described.body().find(R"("batchSize":8)"), std::string::npos);
  EXPECT_EQ(Call(bhttp::verb::get, "/models/nope").result(), bhttp::status::not_found);

  // The fake's LoadModel knows only "echo", which is already registered.
  EXPECT_EQ(Call(bhttp::verb::post, "/models?url=echo.mar").result(), bhttp::status::conflict);
  EXPECT_EQ(Call(bhttp::verb::post, "/models?url=other").result(), bhttp::status::not_found);
  for (const char* url : {"https%3A%2F%2Fx%2Fm.mar", "..", "a%2F..%2Fb", "%2Fetc", ".hidden"}) {
    auto refused = Call(bhttp::verb::post, std::string("/models?url=") + url);
    EXPECT_EQ(refused.result(), bhttp::status::bad_request) << url;
    EXPECT_NE(refused.body().find("Invalid model url"), std::string::npos) << refused.body();
  }
  EXPECT_EQ(Call(bhttp::verb::post, "/models").result(), bhttp::status::bad_request);
  EXPECT_EQ(
      Call(bhttp::verb::post, "/models", R"({"url": "other.mar"})", "application/json").result(),
      bhttp::status::not_found);  // the JSON body's url reached LoadModel
  EXPECT_EQ(Call(bhttp::verb::post, "/models", R"({"url": "../x"})", "application/json").result(),
            bhttp::status::bad_request);

  auto scaled = Call(bhttp::verb::put, "/models/echo?min_worker=3");
  EXPECT_EQ(scaled.result(), bhttp::status::ok);
  EXPECT_EQ(scaled.body(), R"({"status":"Workers scaled to 3 for model: echo"})");
  EXPECT_EQ(Call(bhttp::verb::put, "/models/echo?min_worker=0").result(),
            bhttp::status::bad_request);

  auto set_default = Call(bhttp::verb::put, "/models/echo/1.0/set-default");
  EXPECT_EQ(set_default.result(), bhttp::status::ok) << set_default.body();
  EXPECT_EQ(Call(bhttp::verb::put, "/models/nope/1/set-default").result(),
            bhttp::status::not_found);

  auto deleted = Call(bhttp::verb::delete_, "/models/echo");
  EXPECT_EQ(deleted.result(), bhttp::status::ok);
  EXPECT_EQ(deleted.body(), R"({"status":"Model \"echo\" unregistered"})");
  EXPECT_EQ(Call(bhttp::verb::delete_, "/models/echo/2").result(), bhttp::status::not_found);
  EXPECT_EQ(Call(bhttp::verb::patch, "/models/echo").result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(Call(bhttp::verb::get, "/models/echo/1/x/y").result(), bhttp::status::not_found);
}

// Both JSON dialects share the tensor codec: an out-of-range number is a 400 naming the input,
// and non-finite values travel as the strings "NaN"/"Infinity"/"-Infinity", never as tokens.
TEST_F(DialectsRouterTest, NonFiniteAndOutOfRangeNumbersInEveryDialect) {
  auto tfs =
      Call(bhttp::verb::post, "/v1/models/echo:predict", R"({"instances": [[1e39, 2, 3, 4]]})");
  EXPECT_EQ(tfs.result(), bhttp::status::bad_request);
  EXPECT_NE(tfs.body().find("input 'x': value 1e+39 is out of range for FP32"), std::string::npos)
      << tfs.body();
  auto ts = Call(bhttp::verb::post, "/predictions/echo", "[[1, 2, 3, 1e39]]", "application/json");
  EXPECT_EQ(ts.result(), bhttp::status::bad_request);
  EXPECT_NE(ts.body().find("value 1e+39 is out of range for FP32"), std::string::npos) << ts.body();
  auto literal =
      Call(bhttp::verb::post, "/predictions/echo", "[[NaN, 2, 3, 4]]", "application/json");
  EXPECT_EQ(literal.result(), bhttp::status::bad_request);

  const std::string row = R"(["NaN", "Infinity", "-Infinity", 4])";
  EXPECT_EQ(
      Call(bhttp::verb::post, "/v1/models/echo:predict", "{\"instances\": [" + row + "]}").body(),
      R"({"predictions":[["NaN","Infinity","-Infinity",4]]})");
  EXPECT_EQ(
      Call(bhttp::verb::post, "/predictions/echo", "[" + row + "]", "application/json").body(),
      R"([["NaN","Infinity","-Infinity",4]])");
  auto v2 = Call(bhttp::verb::post, "/v2/models/echo/infer",
                 R"({"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":)" + row + "}]}");
  EXPECT_EQ(v2.result(), bhttp::status::ok) << v2.body();
  EXPECT_NE(v2.body().find(R"("data":["NaN","Infinity","-Infinity",4])"), std::string::npos)
      << v2.body();
  auto v2_big = Call(bhttp::verb::post, "/v2/models/echo/infer",
                     R"({"inputs":[{"name":"x","shape":[1,1],"datatype":"FP16","data":[1e5]}]})");
  EXPECT_EQ(v2_big.result(), bhttp::status::bad_request);
  EXPECT_NE(v2_big.body().find("input 'x': value 1e+05 is out of range for FP16"),
            std::string::npos)
      << v2_big.body();
}

TEST(TorchServeParseTest, VersionsUrlsQueries) {
  EXPECT_EQ(ParseTorchServeVersion("3"), 3);
  EXPECT_EQ(ParseTorchServeVersion("3.0"), 3);
  EXPECT_EQ(ParseTorchServeVersion("3.00"), 3);
  EXPECT_FALSE(ParseTorchServeVersion("3.1").has_value());
  EXPECT_FALSE(ParseTorchServeVersion("3.").has_value());
  EXPECT_FALSE(ParseTorchServeVersion("0").has_value());
  EXPECT_FALSE(ParseTorchServeVersion("x").has_value());
  EXPECT_EQ(*ModelNameFromUrl("resnet.mar"), "resnet");
  EXPECT_EQ(*ModelNameFromUrl("simple"), "simple");
  for (const char* url : {"", ".mar", "..", "../simple", "a/b", "a\\b", "http://h/m.mar", ".x"}) {
    EXPECT_FALSE(ModelNameFromUrl(url).ok()) << url;
  }
  auto query = ParseQuery("/models?url=a%20b&min_worker=2&flag&x=1+2&x=3");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ((*query)["url"], "a b");
  EXPECT_EQ((*query)["min_worker"], "2");
  EXPECT_EQ((*query)["flag"], "");
  EXPECT_EQ((*query)["x"], "1 2");
  EXPECT_FALSE(ParseQuery("/models?url=%zz").has_value());
  EXPECT_TRUE(ParseQuery("/models")->empty());
}

}  // namespace
}  // namespace inferd::frontend::http
