#include "client/http_codec.h"

#include <gtest/gtest.h>

#include "client/infer_types.h"

namespace inferd::client {
namespace {

TEST(HttpCodecTest, BinaryRequestCarriesHeaderLengthParametersAndRawTensors) {
  InferInput x("X", {1, 2}, "FP32");
  ASSERT_TRUE(x.SetData(std::vector<float>{1, 2}).ok());
  InferOptions options("m");
  options.request_id = "7";
  options.priority = 2;
  options.timeout_us = 100;
  auto encoded = EncodeInferRequest(options, {x}, {}, /*binary=*/true);
  ASSERT_TRUE(encoded.ok()) << encoded.status();
  const std::string json = encoded->body.substr(0, encoded->json_size);
  EXPECT_EQ(encoded->body.substr(encoded->json_size), x.raw());
  EXPECT_NE(json.find(R"("id":"7")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("priority":2)"), std::string::npos);
  EXPECT_NE(json.find(R"("timeout":100)"), std::string::npos);
  EXPECT_NE(json.find(R"("binary_data_output":true)"), std::string::npos);
  EXPECT_NE(json.find(R"("binary_data_size":8)"), std::string::npos);

  auto plain = EncodeInferRequest(InferOptions("m"), {x}, {InferRequestedOutput("Y")}, false);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->json_size, 0u);
  EXPECT_NE(plain->body.find(R"("data":[1.0,2.0])"), std::string::npos) << plain->body;
  EXPECT_NE(plain->body.find(R"("binary_data":false)"), std::string::npos);
  x.SetShape({1, 3});
  EXPECT_FALSE(EncodeInferRequest(InferOptions("m"), {x}, {}, true).ok());
}

TEST(HttpCodecTest, DecodesBinaryAndJsonOutputs) {
  const std::string header =
      R"({"model_name":"m","model_version":"3","id":"q","outputs":[)"
      R"({"name":"A","datatype":"INT32","shape":[2],"parameters":{"binary_data_size":8}},)"
      R"({"name":"B","datatype":"BYTES","shape":[1],"data":["hi"]}]})";
  std::string body = header + std::string("\x01\0\0\0\x02\0\0\0", 8);
  auto result = DecodeInferResponse(body, std::to_string(header.size()));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->model_version(), "3");
  EXPECT_EQ(result->id(), "q");
  EXPECT_EQ(*result->As<int32_t>("A"), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(*result->StringData("B"), std::vector<std::string>{"hi"});
  EXPECT_FALSE(DecodeInferResponse(body, "99999").ok());
  EXPECT_FALSE(DecodeInferResponse(header, std::to_string(header.size())).ok());  // no bytes
}

TEST(HttpCodecTest, MapsHttpErrorsAndRetryAfter) {
  EXPECT_TRUE(StatusFromHttp(200, "").ok());
  const Status missing = StatusFromHttp(404, R"({"error":"no model 'x'"})");
  EXPECT_TRUE(absl::IsNotFound(missing));
  EXPECT_NE(missing.message().find("no model 'x'"), std::string::npos);
  EXPECT_TRUE(absl::IsInvalidArgument(StatusFromHttp(400, "bad")));
  // Triton's (and inferd's) 400 for an unknown model is reported as NotFound.
  EXPECT_TRUE(absl::IsNotFound(
      StatusFromHttp(400, R"({"error":"Request for unknown model: 'x' is not found"})")));
  EXPECT_TRUE(absl::IsUnavailable(StatusFromHttp(503, "{}")));
  EXPECT_TRUE(absl::IsInternal(StatusFromHttp(500, "{}")));
  EXPECT_EQ(ParseRetryAfter({{"retry-after", "3"}}), 3);
  EXPECT_EQ(ParseRetryAfter({{"retry-after", "Wed, 21 Oct 2015"}}), -1);
  EXPECT_EQ(ParseRetryAfter({}), -1);
}

TEST(HttpCodecTest, TargetsAreEncoded) {
  EXPECT_EQ(ModelTarget("a b", "2", "infer"), "/v2/models/a%20b/versions/2/infer");
  EXPECT_EQ(ModelTarget("m", "", ""), "/v2/models/m");
  EXPECT_EQ(RepositoryTarget("a/b", "load"), "/v2/repository/models/a%2Fb/load");
  EXPECT_EQ(LoadRequestBody(""), "{}");
  EXPECT_EQ(LoadRequestBody(R"({"x":1})"), R"({"parameters":{"config":"{\"x\":1}"}})");
}

TEST(HttpCodecTest, PredictTargetAndAnswer) {
  EXPECT_EQ(PredictTarget("conv net", ""), "/predict/conv%20net");
  EXPECT_EQ(PredictTarget("convnet", "2"), "/predict/convnet/versions/2");
  auto parsed = ParsePredictResponse(
      R"({"model":"convnet","version":"2","predictions":[{"label":"cat","index":3,"score":0.5},)"
      R"({"label":"dog","index":5,"score":0.25}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->model, "convnet");
  EXPECT_EQ(parsed->version, "2");
  ASSERT_EQ(parsed->predictions.size(), 2u);
  EXPECT_EQ(parsed->predictions[0].label, "cat");
  EXPECT_EQ(parsed->predictions[0].index, 3);
  EXPECT_EQ(parsed->predictions[1].score, 0.25);
  EXPECT_FALSE(ParsePredictResponse(R"({"model":"m"})").ok());
  EXPECT_FALSE(ParsePredictResponse(R"({"predictions":[{"label":"x"}]})").ok());
  EXPECT_FALSE(ParsePredictResponse("not json").ok());
}

TEST(InferTypesTest, TypedSettersCheckTheDatatype) {
  InferInput x("X", {2}, "INT32");
  EXPECT_FALSE(x.SetData(std::vector<float>{1, 2}).ok());
  EXPECT_FALSE(x.SetStrings({"a"}).ok());
  EXPECT_TRUE(x.SetData(std::vector<int32_t>{1, 2}).ok());
  EXPECT_TRUE(x.Validate().ok());
  InferInput s("S", {2}, "BYTES");
  ASSERT_TRUE(s.SetStrings({"a", ""}).ok());
  EXPECT_TRUE(s.Validate().ok());
  s.SetShape({3});
  EXPECT_FALSE(s.Validate().ok());
  EXPECT_FALSE(SplitBytesElements(std::string("\x05\0\0\0ab", 6)).ok());
}

}  // namespace
}  // namespace inferd::client
