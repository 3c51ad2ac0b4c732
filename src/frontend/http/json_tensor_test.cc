#include "frontend/http/json_tensor.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "frontend/http/json_parse.h"
#include "gtest/gtest.h"

namespace inferd::frontend::http {
namespace {

using core::DataType;

StatusOr<core::Tensor> Decode(const std::string& json, DataType dtype, core::Shape shape) {
  auto doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  return DecodeJsonTensor(*doc, "t", dtype, std::move(shape), 1 << 20);
}

template <typename T>
std::vector<T> Values(const core::Tensor& tensor) {
  std::vector<T> values(tensor.data.size() / sizeof(T));
  std::memcpy(values.data(), tensor.data.data(), tensor.data.size());
  return values;
}

std::string Encode(const core::Tensor& tensor) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  EXPECT_TRUE(WriteJsonTensorData(tensor, writer).ok());
  return buffer.GetString();
}

TEST(JsonTensorTest, EveryFixedTypeRoundTrips) {
  struct Case {
    DataType dtype;
    std::string json;
  };
  const std::vector<Case> cases = {
      {DataType::kBool, "[true,false,true,false]"},
      {DataType::kUint8, "[0,1,200,255]"},
      {DataType::kUint16, "[0,1,300,65535]"},
      {DataType::kUint32, "[0,1,70000,4294967295]"},
      {DataType::kUint64, "[0,1,70000,18446744073709551615]"},
      {DataType::kInt8, "[-128,-1,0,127]"},
      {DataType::kInt16, "[-32768,-1,0,32767]"},
      {DataType::kInt32, "[-2147483648,-1,0,2147483647]"},
      {DataType::kInt64, "[-9223372036854775808,-1,0,9223372036854775807]"},
      {DataType::kFp16, "[1.0,-2.5,0.5,65504.0]"},
      {DataType::kBf16, "[1.0,-2.5,0.5,3.140625]"},
      {DataType::kFp32, "[1.5,-2.25,0.1,3.4028235e38]"},
      {DataType::kFp64, "[1.5,-2.25,0.1,1e300]"},
  };
  for (const auto& c : cases) {
    auto tensor = Decode(c.json, c.dtype, {2, 2});
    ASSERT_TRUE(tensor.ok()) << core::DataTypeName(c.dtype) << ": " << tensor.status();
    EXPECT_EQ(tensor->data.size(), 4 * core::ElementSize(c.dtype));
    auto again = Decode(Encode(*tensor), c.dtype, {2, 2});
    ASSERT_TRUE(again.ok()) << Encode(*tensor);
    EXPECT_EQ(0, std::memcmp(again->data.data(), tensor->data.data(), tensor->data.size()))
        << core::DataTypeName(c.dtype) << " " << Encode(*tensor);
  }
}

TEST(JsonTensorTest, EncodesShortestFloats) {
  auto tensor = Decode("[0.1, 1, -2.5]", DataType::kFp32, {3});
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ(Encode(*tensor), "[0.1,1,-2.5]");
  auto half = Decode("[1.0, 0.5]", DataType::kFp16, {2});
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(Values<uint16_t>(*half), (std::vector<uint16_t>{0x3C00, 0x3800}));
  EXPECT_EQ(Encode(*half), "[1,0.5]");
}

TEST(JsonTensorTest, NestedMatchesFlat) {
  auto flat = Decode("[1,2,3,4,5,6]", DataType::kInt32, {2, 3});
  auto nested = Decode("[[1,2,3],[4,5,6]]", DataType::kInt32, {2, 3});
  ASSERT_TRUE(flat.ok() && nested.ok());
  EXPECT_EQ(Values<int32_t>(*flat), Values<int32_t>(*nested));
  EXPECT_EQ(Values<int32_t>(*nested), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
}

TEST(JsonTensorTest, RejectsShapeMismatches) {
  EXPECT_FALSE(Decode("[1,2,3]", DataType::kInt32, {2, 2}).ok());
  EXPECT_FALSE(Decode("[[1,2],[3]]", DataType::kInt32, {2, 2}).ok());  // ragged
  EXPECT_FALSE(Decode("[[1,2,3],[4,5,6]]", DataType::kInt32, {3, 2}).ok());
  EXPECT_FALSE(Decode("[[[1]],[[2]]]", DataType::kInt32, {2, 1}).ok());  // too deep
  EXPECT_FALSE(Decode("[[1,2],3,4]", DataType::kInt32, {4}).ok());
  EXPECT_FALSE(Decode("{\"a\":1}", DataType::kInt32, {1}).ok());
}

TEST(JsonTensorTest, RejectsOutOfRangeAndWrongTypes) {
  auto status = Decode("[300]", DataType::kUint8, {1}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("out of range"), absl::string_view::npos);
  EXPECT_FALSE(Decode("[-1]", DataType::kUint32, {1}).ok());
  EXPECT_FALSE(Decode("[128]", DataType::kInt8, {1}).ok());
  EXPECT_FALSE(Decode("[1.5]", DataType::kInt32, {1}).ok());
  EXPECT_FALSE(Decode("[1]", DataType::kBool, {1}).ok());
  EXPECT_FALSE(Decode("[\"1\"]", DataType::kFp32, {1}).ok());
  EXPECT_FALSE(Decode("[1]", DataType::kBytes, {1}).ok());
}

// FP32 1e39 used to become Infinity silently; NaN/Infinity literals are not JSON.
TEST(JsonTensorTest, RefusesNumbersOutOfRangeForTheFloatType) {
  struct Case {
    const char* json;
    DataType dtype;
    const char* message;
  };
  const std::vector<Case> refused = {
      {"[1e39]", DataType::kFp32, "value 1e+39 is out of range for FP32"},
      {"[-1e39]", DataType::kFp32, "value -1e+39 is out of range for FP32"},
      {"[70000]", DataType::kFp16, "value 70000 is out of range for FP16"},
      {"[1e39]", DataType::kBf16, "value 1e+39 is out of range for BF16"},
      {"[NaN]", DataType::kFp32, "literals are not JSON"},
      {"[-Infinity]", DataType::kFp64, "literals are not JSON"},
      {"[\"nan\"]", DataType::kFp32, "not a valid FP32 value"},
  };
  for (const auto& c : refused) {
    const Status status = Decode(c.json, c.dtype, {1}).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(status.message().find(c.message), absl::string_view::npos) << status;
  }
  EXPECT_TRUE(Decode("[3.4028234e38, 65504]", DataType::kFp32, {2}).ok());
  EXPECT_TRUE(Decode("[65504, -65504]", DataType::kFp16, {2}).ok());
  EXPECT_TRUE(Decode("[1e39]", DataType::kFp64, {1}).ok());
}

TEST(JsonTensorTest, NonFiniteValuesAreStringsBothWays) {
  for (DataType dtype : {DataType::kFp16, DataType::kBf16, DataType::kFp32, DataType::kFp64}) {
    SCOPED_TRACE(core::DataTypeName(dtype));
    auto tensor = Decode(R"(["NaN", "Infinity", "-Infinity", 1.5])", dtype, {4});
    ASSERT_TRUE(tensor.ok()) << tensor.status();
    const std::string json = Encode(*tensor);
    EXPECT_EQ(json, R"(["NaN","Infinity","-Infinity",1.5])");
    rapidjson::Document strict;  // no kParseNanAndInfFlag: standard JSON only
    strict.Parse(json.c_str());
    EXPECT_FALSE(strict.HasParseError()) << json;
  }
  auto fp32 = Decode(R"(["NaN", "-Infinity"])", DataType::kFp32, {2});
  ASSERT_TRUE(fp32.ok());
  EXPECT_TRUE(std::isnan(Values<float>(*fp32)[0]));
  EXPECT_EQ(Values<float>(*fp32)[1], -std::numeric_limits<float>::infinity());
}

TEST(JsonTensorTest, RejectsHugeShapesWithoutAllocating) {
  EXPECT_FALSE(Decode("[1]", DataType::kFp32, {1 << 30, 1 << 30, 1 << 30}).ok());
  EXPECT_FALSE(Decode("[1]", DataType::kFp32, {-1}).ok());
}

TEST(JsonTensorTest, BytesUseLengthPrefixedLayout) {
  auto tensor = Decode("[\"ab\", \"\", \"xyz\"]", DataType::kBytes, {3});
  ASSERT_TRUE(tensor.ok()) << tensor.status();
  const std::string expected("\x02\0\0\0ab\0\0\0\0\x03\0\0\0xyz", 4 + 2 + 4 + 4 + 3);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(tensor->data.data()), tensor->data.size()),
            expected);
  EXPECT_EQ(Encode(*tensor), "[\"ab\",\"\",\"xyz\"]");
}

TEST(JsonTensorTest, InvalidUtf8BytesStillProduceValidJson) {
  const std::string raw("\x01\0\0\0\xff", 5);
  core::Tensor tensor{"b",
                      DataType::kBytes,
                      {1},
                      {reinterpret_cast<const std::byte*>(raw.data()), raw.size()},
                      nullptr};
  const std::string json = Encode(tensor);
  EXPECT_EQ(json, "[\"\xEF\xBF\xBD\"]");
  EXPECT_TRUE(ParseJson(json).ok());
}

}  // namespace
}  // namespace inferd::frontend::http
