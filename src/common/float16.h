// Conversions between double and the 16-bit float formats of KServe v2 (FP16 = IEEE binary16,
// BF16 = bfloat16), bit-exact with round-to-nearest-even. Pure functions, thread-safe.
// JSON carries FP16/BF16 as ordinary numbers; the tensor bytes hold these 16-bit patterns.
#pragma once

#include <cstdint>

namespace inferd {

uint16_t DoubleToHalf(double value);
uint16_t DoubleToBf16(double value);
double HalfToDouble(uint16_t bits);
double Bf16ToDouble(uint16_t bits);

}  // namespace inferd
