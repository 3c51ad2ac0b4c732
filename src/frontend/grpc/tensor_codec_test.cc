// Typed and raw contents <-> core tensors for every datatype, both directions.
#include "frontend/grpc/tensor_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/bytes_layout.h"

namespace inferd::frontend::grpc {
namespace {

using core::DataType;
using ::inference::InferTensorContents;

core::Tensor Header(DataType dtype, int64_t n) { return {"IN", dtype, {1, n}, {}, nullptr}; }

template <typename T>
std::vector<T> Values(const core::Tensor& tensor) {
  std::vector<T> out(tensor.data.size() / sizeof(T));
  std::memcpy(out.data(), tensor.data.data(), tensor.data.size());
  return out;
}

// Decodes typed contents, checks the dense bytes, and encodes them back to the same contents.
template <typename T>
void RoundTrip(DataType dtype, const InferTensorContents& contents, const std::vector<T>& want) {
  SCOPED_TRACE(core::DataTypeName(dtype));
  core::Tensor tensor = Header(dtype, static_cast<int64_t>(want.size()));
  ASSERT_TRUE(TypedToTensor(contents, static_cast<int64_t>(want.size()), tensor).ok());
  EXPECT_EQ(Values<T>(tensor), want);
  InferTensorContents back;
  ASSERT_TRUE(TensorToTyped(tensor, back).ok());
  EXPECT_EQ(back.SerializeAsString(), contents.SerializeAsString());
}

TEST(TensorCodecTest, TypedRoundTripsEveryTypedDatatype) {
  InferTensorContents c;
  c.add_bool_contents(true), c.add_bool_contents(false);
  RoundTrip<uint8_t>(DataType::kBool, c, {1, 0});
  c.Clear(), c.add_int_contents(-128), c.add_int_contents(127);
  RoundTrip<int8_t>(DataType::kInt8, c, {-128, 127});
  c.Clear(), c.add_int_contents(-32768), c.add_int_contents(32767);
  RoundTrip<int16_t>(DataType::kInt16, c, {-32768, 32767});
  c.Clear(), c.add_int_contents(INT32_MIN), c.add_int_contents(7);
  RoundTrip<int32_t>(DataType::kInt32, c, {INT32_MIN, 7});
  c.Clear(), c.add_int64_contents(INT64_MIN), c.add_int64_contents(9);
  RoundTrip<int64_t>(DataType::kInt64, c, {INT64_MIN, 9});
  c.Clear(), c.add_uint_contents(0), c.add_uint_contents(255);
  RoundTrip<uint8_t>(DataType::kUint8, c, {0, 255});
  c.Clear(), c.add_uint_contents(1), c.add_uint_contents(65535);
  RoundTrip<uint16_t>(DataType::kUint16, c, {1, 65535});
  c.Clear(), c.add_uint_contents(2), c.add_uint_contents(UINT32_MAX);
  RoundTrip<uint32_t>(DataType::kUint32, c, {2, UINT32_MAX});
  c.Clear(), c.add_uint64_contents(3), c.add_uint64_contents(UINT64_MAX);
  RoundTrip<uint64_t>(DataType::kUint64, c, {3, UINT64_MAX});
  c.Clear(), c.add_fp32_contents(0.25f), c.add_fp32_contents(-3.5f);
  RoundTrip<float>(DataType::kFp32, c, {0.25f, -3.5f});
  c.Clear(), c.add_fp64_contents(0.125), c.add_fp64_contents(1e300);
  RoundTrip<double>(DataType::kFp64, c, {0.125, 1e300});
}

TEST(TensorCodecTest, TypedBytesUseTheLengthPrefixedLayout) {
  InferTensorContents c;
  c.add_bytes_contents("hello");
  c.add_bytes_contents("");
  core::Tensor tensor = Header(DataType::kBytes, 2);
  ASSERT_TRUE(TypedToTensor(c, 2, tensor).ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(tensor.data.data()), tensor.data.size()),
            std::string("\5\0\0\0hello\0\0\0\0", 13));
  InferTensorContents back;
  ASSERT_TRUE(TensorToTyped(tensor, back).ok());
  EXPECT_EQ(back.bytes_contents(0), "hello");
  EXPECT_EQ(back.bytes_contents(1), "");
}

TEST(TensorCodecTest, SameWidthTypedDataIsViewedInPlace) {
  InferTensorContents c;
  c.add_fp32_contents(1.0f);
  core::Tensor tensor = Header(DataType::kFp32, 1);
  ASSERT_TRUE(TypedToTensor(c, 1, tensor).ok());
  EXPECT_EQ(static_cast<const void*>(tensor.data.data()),
            static_cast<const void*>(c.fp32_contents().data()));
  EXPECT_EQ(tensor.owner, nullptr);
}

TEST(TensorCodecTest, TypedErrorsAreClear) {
  InferTensorContents c;
  c.add_int_contents(1);
  core::Tensor t = Header(DataType::kFp32, 1);
  EXPECT_NE(TypedToTensor(c, 1, t).message().find("takes fp32_contents"), std::string::npos);
  t = Header(DataType::kInt32, 2);
  EXPECT_NE(TypedToTensor(c, 2, t).message().find("holds 1 values"), std::string::npos);
  c.set_int_contents(0, 300);
  t = Header(DataType::kInt8, 1);
  EXPECT_NE(TypedToTensor(c, 1, t).message().find("does not fit INT8"), std::string::npos);
  t = Header(DataType::kFp16, 1);
  EXPECT_NE(TypedToTensor(c, 1, t).message().find("raw_input_contents"), std::string::npos);
  t = Header(DataType::kFp16, 0);
  EXPECT_TRUE(TypedToTensor(InferTensorContents(), 0, t).ok());  // empty: nothing to carry
}

TEST(TensorCodecTest, RawIsViewedInPlace) {
  const std::string raw("\x00\x3e\x00\xc0", 4);  // FP16 1.5, -2.0
  core::Tensor t = Header(DataType::kFp16, 2);
  ASSERT_TRUE(RawToTensor(raw, t).ok());
  EXPECT_EQ(static_cast<const void*>(t.data.data()), static_cast<const void*>(raw.data()));
  std::string back;
  TensorToRaw(t, back);
  EXPECT_EQ(back, raw);
}

// Sizes and element counts are the validator's (core::ValidateRequest); the codec only refuses
// a BYTES layout it cannot split.
TEST(TensorCodecTest, RawBytesMustBeWellFormed) {
  const std::string raw("\5\0\0\0hello\0\0\0\0", 13);
  core::Tensor t = Header(DataType::kBytes, 2);
  EXPECT_TRUE(RawToTensor(raw, t).ok());
  t = Header(DataType::kBytes, 2);
  EXPECT_FALSE(RawToTensor(raw.substr(0, 7), t).ok());
}

TEST(TensorCodecTest, Fp16AndBf16HaveNoTypedForm) {
  EXPECT_FALSE(HasTypedForm(DataType::kFp16));
  EXPECT_FALSE(HasTypedForm(DataType::kBf16));
  EXPECT_TRUE(HasTypedForm(DataType::kBytes));
}

}  // namespace
}  // namespace inferd::frontend::grpc
