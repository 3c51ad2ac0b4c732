#include "frontend/http/infer_request_codec.h"

#include <cstring>
#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace inferd::frontend::http {
namespace {

using core::DataType;

struct Body {
  std::shared_ptr<std::string> text;
  std::optional<std::string> header_length;
};

// JSON header followed by raw binary bytes, as the binary tensor extension lays them out.
Body Binary(const std::string& json, const std::string& binary) {
  return {std::make_shared<std::string>(json + binary), std::to_string(json.size())};
}

StatusOr<DecodedInferRequest> Decode(const Body& body) {
  std::optional<std::string_view> header;
  if (body.header_length) header = *body.header_length;
  return DecodeInferRequest(*body.text, body.text, header, "m", 0);
}

StatusOr<DecodedInferRequest> DecodeJson(const std::string& json) {
  return Decode({std::make_shared<std::string>(json), std::nullopt});
}

bool PointsInto(const core::Tensor& tensor, const std::string& body) {
  const auto* begin = reinterpret_cast<const std::byte*>(body.data());
  return tensor.data.data() >= begin &&
         tensor.data.data() + tensor.data.size() <= begin + body.size();
}

TEST(InferRequestCodecTest, DecodesJsonRequest) {
  auto decoded = DecodeJson(R"({"id":"r1","parameters":{"priority":2,"timeout":500},
      "inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","data":[1.0,2.0]}],
      "outputs":[{"name":"y","parameters":{"binary_data":true}},{"name":"z"}]})");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const auto& request = *decoded->request;
  EXPECT_EQ(request.model_name, "m");
  EXPECT_EQ(request.id, "r1");
  EXPECT_EQ(request.priority, 2u);
  EXPECT_EQ(request.timeout_us, 500u);
  ASSERT_EQ(request.inputs.size(), 1u);
  EXPECT_EQ(request.inputs[0].shape, (core::Shape{1, 2}));
  EXPECT_EQ(request.requested_outputs, (std::vector<std::string>{"y", "z"}));
  EXPECT_TRUE(decoded->encoding.IsBinary("y"));
  EXPECT_FALSE(decoded->encoding.IsBinary("z"));
}

TEST(InferRequestCodecTest, RejectsProtocolErrors) {
  const char* bad[] = {
      R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP33","data":[1]}]})",
      R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]},
                    {"name":"x","shape":[1],"datatype":"FP32","data":[1]}]})",
      R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],
          "outputs":[{"name":"y"},{"name":"y"}]})",
      R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32"}]})",
      R"({"inputs":[{"name":"x","shape":[-1],"datatype":"FP32","data":[1]}]})",
      R"({"inputs":[{"name":"x","shape":[4294967296,4294967296],"datatype":"FP32","data":[1]}]})",
      R"({"inputs":[{"name":"x","shape":[2],"datatype":"UINT8","data":[1,300]}]})",
      R"({"inputs":{}})",
      R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}],"parameters":{"priority":-1}})",
      R"([1,2])",
      R"({"inputs": [)",
  };
  for (const char* json : bad) {
    auto decoded = DecodeJson(json);
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << json;
  }
  auto unknown =
      DecodeJson(R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP33","data":[1]}]})");
  EXPECT_NE(unknown.status().message().find("FP33"), absl::string_view::npos);
  auto malformed = DecodeJson(R"({"inputs": [)");
  EXPECT_NE(malformed.status().message().find("offset"), absl::string_view::npos);
}

TEST(InferRequestCodecTest, DeepNestingIsAnErrorNotACrash) {
  EXPECT_FALSE(DecodeJson(std::string(100000, '[')).ok());
  EXPECT_FALSE(DecodeJson(std::string(100000, '[') + std::string(100000, ']')).ok());
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_FALSE(DecodeJson(objects).ok());
}

TEST(InferRequestCodecTest, BinaryInputsAreViewedInPlaceForEveryType) {
  for (DataType dtype :
       {DataType::kBool, DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64,
        DataType::kInt8, DataType::kInt16, DataType::kInt32, DataType::kInt64, DataType::kFp16,
        DataType::kBf16, DataType::kFp32, DataType::kFp64}) {
    const size_t size = 6 * core::ElementSize(dtype);
    const std::string json = std::string(R"({"inputs":[{"name":"x","shape":[2,3],"datatype":")") +
                             std::string(core::DataTypeName(dtype)) +
                             R"(","parameters":{"binary_data_size":)" + std::to_string(size) +
                             "}}]}";
    Body body = Binary(json, std::string(size, '\x01'));
    auto decoded = Decode(body);
    ASSERT_TRUE(decoded.ok()) << core::DataTypeName(dtype) << decoded.status();
    const auto& tensor = decoded->request->inputs[0];
    EXPECT_EQ(tensor.dtype, dtype);
    EXPECT_EQ(tensor.data.size(), size);
    EXPECT_TRUE(PointsInto(tensor, *body.text));
    EXPECT_EQ(tensor.data.data(),
              reinterpret_cast<const std::byte*>(body.text->data()) + json.size());
    EXPECT_EQ(decoded->request->body.get(), body.text.get());
  }
}

TEST(InferRequestCodecTest, BinaryBytesAndMixedInputs) {
  const std::string bytes("\x02\0\0\0hi\x01\0\0\0!", 11);
  const std::string floats(8, '\0');
  Body body = Binary(R"({"inputs":[
      {"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":11}},
      {"name":"j","shape":[1],"datatype":"INT32","data":[7]},
      {"name":"f","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}}]})",
                     bytes + floats);
  auto decoded = Decode(body);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const auto& inputs = decoded->request->inputs;
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_TRUE(PointsInto(inputs[0], *body.text));
  EXPECT_FALSE(PointsInto(inputs[1], *body.text));  // JSON data is decoded into its own buffer
  EXPECT_TRUE(PointsInto(inputs[2], *body.text));
  EXPECT_EQ(inputs[2].data.data(), inputs[0].data.data() + 11);
}

TEST(InferRequestCodecTest, BinaryErrors) {
  const std::string one =
      R"({"inputs":[{"name":"x","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}}]})";
  EXPECT_FALSE(Decode(Binary(one, std::string(7, '\0'))).ok());  // truncated
  EXPECT_FALSE(Decode(Binary(one, std::string(9, '\0'))).ok());  // extra bytes
  Body too_long = Binary(one, std::string(8, '\0'));
  too_long.header_length = std::to_string(too_long.text->size() + 1);
  EXPECT_FALSE(Decode(too_long).ok());
  for (const char* bad_length : {"-1", "abc", "", "12x", "99999999999999999999999"}) {
    Body body = Binary(one, std::string(8, '\0'));
    body.header_length = bad_length;
    EXPECT_EQ(Decode(body).status().code(), absl::StatusCode::kInvalidArgument) << bad_length;
  }
  const std::string wrong_size =
      R"({"inputs":[{"name":"x","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":4}}]})";
  // A byte size that does not fit the shape decodes: core::ValidateRequest refuses it against
  // the model, in Triton's words.
  EXPECT_TRUE(Decode(Binary(wrong_size, std::string(4, '\0'))).ok());
  const std::string both =
      R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1],"parameters":{"binary_data_size":4}}]})";
  EXPECT_FALSE(Decode(Binary(both, std::string(4, '\0'))).ok());
  const std::string bytes =
      R"({"inputs":[{"name":"s","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":6}}]})";
  EXPECT_FALSE(Decode(Binary(bytes, std::string("\x05\0\0\0ab", 6))).ok());  // length overruns
  EXPECT_FALSE(Decode(Binary(bytes, std::string("\x01\0\0\0ab", 6))).ok());  // trailing byte
  EXPECT_TRUE(Decode(Binary(bytes, std::string("\x02\0\0\0ab", 6))).ok());
}

TEST(InferRequestCodecTest, OutOfRangeFloatIsRefusedNamingTheInput) {
  auto decoded =
      DecodeJson(R"({"inputs":[{"name":"big","shape":[1],"datatype":"FP32","data":[1e39]}]})");
  ASSERT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(), "input 'big': value 1e+39 is out of range for FP32");
}

// Triton's rules: a correlation id is a uint64 or a non-empty string; start/end are booleans.
TEST(InferRequestCodecTest, SequenceParametersAreValidated) {
  const std::string input = R"("inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1]}])";
  for (const char* ok :
       {R"("sequence_id":"abc")", R"("sequence_id":0)", R"("sequence_id":18446744073709551615)",
        R"("sequence_id":7,"sequence_start":true,"sequence_end":false)"}) {
    auto decoded = DecodeJson("{" + input + R"(,"parameters":{)" + ok + "}}");
    EXPECT_TRUE(decoded.ok()) << ok << ": " << decoded.status();
  }
  auto numeric =
      DecodeJson("{" + input +
                 R"(,"parameters":{"sequence_id":7,"sequence_start":true,"sequence_end":false}})");
  ASSERT_TRUE(numeric.ok()) << numeric.status();
  EXPECT_EQ(numeric->request->sequence_id, (core::CorrelationId{7, ""}));
  EXPECT_TRUE(numeric->request->sequence_start);
  EXPECT_FALSE(numeric->request->sequence_end);
  auto text =
      DecodeJson("{" + input + R"(,"parameters":{"sequence_id":"abc","sequence_end":true}})");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->request->sequence_id, (core::CorrelationId{0, "abc"}));
  EXPECT_FALSE(text->request->sequence_start);
  EXPECT_TRUE(text->request->sequence_end);
  for (const char* bad :
       {R"("sequence_id":-1)", R"("sequence_id":18446744073709551621)", R"("sequence_id":"")",
        R"("sequence_id":1.5)", R"("sequence_id":true)", R"("sequence_id":{})",
        R"("sequence_start":1)", R"("sequence_end":"true")"}) {
    auto decoded = DecodeJson("{" + input + R"(,"parameters":{)" + bad + "}}");
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(decoded.status().message().find("parameter 'sequence_"), absl::string_view::npos)
        << bad << ": " << decoded.status();
  }
}

}  // namespace
}  // namespace inferd::frontend::http
