#include "frontend/http/infer_response_codec.h"

#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace inferd::frontend::http {
namespace {

core::InferenceResponse MakeResponse() {
  core::InferenceResponse response;
  response.model_name = "m";
  response.model_version = 3;
  response.id = "abc";
  auto a = core::MakeOwnedTensor("a", core::DataType::kFp32, {2}, 8);
  const float values[] = {1.5f, -2.0f};
  std::memcpy(a.writable.data(), values, 8);
  auto b = core::MakeOwnedTensor("b", core::DataType::kInt8, {3}, 3);
  const int8_t bytes[] = {1, -2, 3};
  std::memcpy(b.writable.data(), bytes, 3);
  response.outputs = {a.tensor, b.tensor};
  return response;
}

TEST(InferResponseCodecTest, EncodesJson) {
  auto encoded = EncodeInferResponse(MakeResponse(), {});
  ASSERT_TRUE(encoded.ok());
  EXPECT_FALSE(encoded->binary());
  EXPECT_EQ(encoded->body, R"({"model_name":"m","model_version":"3","id":"abc","outputs":[)"
                           R"({"name":"a","datatype":"FP32","shape":[2],"data":[1.5,-2]},)"
                           R"({"name":"b","datatype":"INT8","shape":[3],"data":[1,-2,3]}]})");
}

TEST(InferResponseCodecTest, EncodesBinaryOutputsAfterTheHeader) {
  OutputEncoding encoding;
  encoding.requested = {{"b", true}, {"a", false}};
  auto encoded = EncodeInferResponse(MakeResponse(), encoding);
  ASSERT_TRUE(encoded.ok());
  ASSERT_TRUE(encoded->binary());
  const std::string header = encoded->body.substr(0, *encoded->header_length);
  EXPECT_EQ(header,
            R"({"model_name":"m","model_version":"3","id":"abc","outputs":[)"
            R"({"name":"b","datatype":"INT8","shape":[3],"parameters":{"binary_data_size":3}},)"
            R"({"name":"a","datatype":"FP32","shape":[2],"data":[1.5,-2]}]})");
  EXPECT_EQ(encoded->body.substr(header.size()), std::string("\x01\xfe\x03", 3));
}

TEST(InferResponseCodecTest, BinaryDataOutputAppliesToAll) {
  OutputEncoding encoding;
  encoding.binary_all = true;
  auto encoded = EncodeInferResponse(MakeResponse(), encoding);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded->body.size(), *encoded->header_length + 8 + 3);
}

TEST(InferResponseCodecTest, MissingRequestedOutputIsAnError) {
  OutputEncoding encoding;
  encoding.requested = {{"zzz", false}};
  EXPECT_FALSE(EncodeInferResponse(MakeResponse(), encoding).ok());
}

}  // namespace
}  // namespace inferd::frontend::http
