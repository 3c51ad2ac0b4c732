#include "common/float16.h"

#include <bit>
#include <cmath>

namespace inferd {
namespace {

// Rounds a double straight to a narrow format with `exp_bits` exponent and `mant_bits` mantissa
// bits (no intermediate float, so there is no double rounding).
uint16_t RoundToNarrow(double value, int exp_bits, int mant_bits) {
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  const auto sign = static_cast<uint16_t>((bits >> 63) << (exp_bits + mant_bits));
  const int exp = static_cast<int>((bits >> 52) & 0x7ff);
  const uint64_t mant = bits & ((uint64_t{1} << 52) - 1);
  const int max_exp = (1 << exp_bits) - 1;
  const auto inf = static_cast<uint16_t>(max_exp << mant_bits);
  if (exp == 0x7ff) {  // Inf stays Inf; NaN stays a quiet NaN
    return sign | inf | (mant != 0 ? static_cast<uint16_t>(1 << (mant_bits - 1)) : 0);
  }
  if (exp == 0) return sign;  // double subnormals are far below any narrow subnormal
  const int bias = (1 << (exp_bits - 1)) - 1;
  const int e = exp - 1023 + bias;
  if (e >= max_exp) return sign | inf;
  const uint64_t sig = mant | (uint64_t{1} << 52);
  const int shift = 52 - mant_bits + (e >= 1 ? 0 : 1 - e);
  if (shift > 53) return sign;  // rounds to zero even at the halfway point
  uint64_t kept = sig >> shift;
  const uint64_t rem = sig & ((uint64_t{1} << shift) - 1);
  const uint64_t half = uint64_t{1} << (shift - 1);
  if (rem > half || (rem == half && (kept & 1) != 0)) ++kept;
  // `kept` still holds the implicit bit for normals, so adding it to (e - 1) sets the exponent
  // and a rounding carry moves into the exponent (up to Inf) by itself.
  const uint64_t magnitude = e >= 1 ? (static_cast<uint64_t>(e - 1) << mant_bits) + kept : kept;
  return sign | static_cast<uint16_t>(magnitude);
}

double NarrowToDouble(uint16_t bits, int exp_bits, int mant_bits) {
  const bool negative = ((bits >> (exp_bits + mant_bits)) & 1) != 0;
  const int exp = (bits >> mant_bits) & ((1 << exp_bits) - 1);
  const int mant = bits & ((1 << mant_bits) - 1);
  const int bias = (1 << (exp_bits - 1)) - 1;
  double magnitude;
  if (exp == (1 << exp_bits) - 1) {
    magnitude = mant == 0 ? INFINITY : NAN;
  } else if (exp == 0) {
    magnitude = std::ldexp(static_cast<double>(mant), 1 - bias - mant_bits);
  } else {
    magnitude = std::ldexp(static_cast<double>(mant | (1 << mant_bits)), exp - bias - mant_bits);
  }
  return negative ? -magnitude : magnitude;
}

}  // namespace

uint16_t DoubleToHalf(double value) { return RoundToNarrow(value, 5, 10); }
uint16_t DoubleToBf16(double value) { return RoundToNarrow(value, 8, 7); }
double HalfToDouble(uint16_t bits) { return NarrowToDouble(bits, 5, 10); }
double Bf16ToDouble(uint16_t bits) { return NarrowToDouble(bits, 8, 7); }

}  // namespace inferd
