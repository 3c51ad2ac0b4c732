// IEEE half and bfloat16 conversions for JSON tensor data (the same rounding as the server's
// frontend/http/float16.h, which the client cannot depend on). Pure functions.
#pragma once

#include <cstdint>

namespace inferd::client {

uint16_t DoubleToHalf(double value);
uint16_t DoubleToBf16(double value);
double HalfToDouble(uint16_t bits);
double Bf16ToDouble(uint16_t bits);

}  // namespace inferd::client
