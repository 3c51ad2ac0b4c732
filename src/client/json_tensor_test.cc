#include "client/json_tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace inferd::client {
namespace {

// Non-finite floats travel as the server writes and reads them: the strings "NaN", "Infinity"
// and "-Infinity" (bare NaN tokens would not be JSON).
TEST(JsonTensorTest, NonFiniteFloatsAreStringsBothWays) {
  const std::vector<float> values = {std::numeric_limits<float>::quiet_NaN(),
                                     std::numeric_limits<float>::infinity(),
                                     -std::numeric_limits<float>::infinity(), 1.5f};
  const std::string raw(reinterpret_cast<const char*>(values.data()), values.size() * 4);
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  ASSERT_TRUE(WriteJsonData("FP32", raw, writer).ok());
  EXPECT_STREQ(buffer.GetString(), R"(["NaN","Infinity","-Infinity",1.5])");

  rapidjson::Document doc;
  doc.Parse(buffer.GetString());
  ASSERT_FALSE(doc.HasParseError());
  std::string back;
  auto count = AppendJsonData("FP32", doc, back);
  ASSERT_TRUE(count.ok()) << count.status();
  ASSERT_EQ(*count, 4);
  std::vector<float> decoded(4);
  std::memcpy(decoded.data(), back.data(), 16);
  EXPECT_TRUE(std::isnan(decoded[0]));
  EXPECT_EQ(decoded[1], values[1]);
  EXPECT_EQ(decoded[2], values[2]);
  EXPECT_EQ(decoded[3], 1.5f);
  doc.Parse(R"(["nan"])");
  EXPECT_FALSE(AppendJsonData("FP32", doc, back).ok());
}

}  // namespace
}  // namespace inferd::client
