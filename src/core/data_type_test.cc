#include "core/data_type.h"

#include <gtest/gtest.h>

namespace inferd::core {
namespace {

TEST(DataTypeTest, NamesRoundTrip) {
  for (auto t :
       {DataType::kBool, DataType::kUint8, DataType::kUint16, DataType::kUint32, DataType::kUint64,
        DataType::kInt8, DataType::kInt16, DataType::kInt32, DataType::kInt64, DataType::kFp16,
        DataType::kBf16, DataType::kFp32, DataType::kFp64, DataType::kBytes}) {
    auto parsed = ParseDataType(DataTypeName(t));
    ASSERT_TRUE(parsed.has_value()) << DataTypeName(t);
    EXPECT_EQ(*parsed, t);
    EXPECT_EQ(FromConfigType(ToConfigType(t)), t);
  }
}

TEST(DataTypeTest, SizesAndConfigNames) {
  EXPECT_EQ(ElementSize(DataType::kFp32), 4u);
  EXPECT_EQ(ElementSize(DataType::kBf16), 2u);
  EXPECT_EQ(ElementSize(DataType::kInt64), 8u);
  EXPECT_EQ(ElementSize(DataType::kBytes), 0u);
  EXPECT_EQ(ToConfigType(DataType::kBytes), ::inference::TYPE_STRING);
  EXPECT_EQ(FromConfigType(::inference::TYPE_FP16), DataType::kFp16);
}

TEST(DataTypeTest, UnknownNamesRejected) {
  EXPECT_FALSE(ParseDataType("FLOAT").has_value());
  EXPECT_FALSE(ParseDataType("INVALID").has_value());
  EXPECT_FALSE(ParseDataType("fp32").has_value());
}

}  // namespace
}  // namespace inferd::core
