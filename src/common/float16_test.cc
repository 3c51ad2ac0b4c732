#include "common/float16.h"

#include <cmath>

#include "gtest/gtest.h"

namespace inferd {
namespace {

TEST(Float16Test, HalfKnownValues) {
  EXPECT_EQ(DoubleToHalf(0.0), 0x0000);
  EXPECT_EQ(DoubleToHalf(-0.0), 0x8000);
  EXPECT_EQ(DoubleToHalf(1.0), 0x3C00);
  EXPECT_EQ(DoubleToHalf(-2.0), 0xC000);
  EXPECT_EQ(DoubleToHalf(65504.0), 0x7BFF);
  EXPECT_EQ(DoubleToHalf(65520.0), 0x7C00);  // rounds up to Inf
  EXPECT_EQ(DoubleToHalf(1e10), 0x7C00);
  EXPECT_EQ(DoubleToHalf(5.960464477539063e-8), 0x0001);  // smallest subnormal
  EXPECT_EQ(DoubleToHalf(1.0 + 1.0 / 2048), 0x3C00);      // tie -> even
  EXPECT_EQ(DoubleToHalf(1.0 + 3.0 / 2048), 0x3C02);      // tie -> even (up)
  EXPECT_EQ(DoubleToHalf(INFINITY), 0x7C00);
  EXPECT_TRUE(std::isnan(HalfToDouble(DoubleToHalf(NAN))));
  EXPECT_EQ(HalfToDouble(0x3555), 0.333251953125);
}

TEST(Float16Test, Bf16KnownValues) {
  EXPECT_EQ(DoubleToBf16(1.0), 0x3F80);
  EXPECT_EQ(DoubleToBf16(-1.5), 0xBFC0);
  EXPECT_EQ(DoubleToBf16(1.0 + 1.0 / 256), 0x3F80);  // tie -> even
  EXPECT_EQ(DoubleToBf16(1.0 + 3.0 / 256), 0x3F82);
  EXPECT_EQ(Bf16ToDouble(0x4049), 3.140625);
}

TEST(Float16Test, RoundTripsEveryHalf) {
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    const auto h = static_cast<uint16_t>(bits);
    const double half = HalfToDouble(h);
    if (!std::isnan(half)) {
      ASSERT_EQ(DoubleToHalf(half), h) << bits;
    }
    const double bf16 = Bf16ToDouble(h);
    if (!std::isnan(bf16)) {
      ASSERT_EQ(DoubleToBf16(bf16), h) << bits;
    }
  }
}

}  // namespace
}  // namespace inferd
