// Every datatype through the identity_all_types test model, plus the BYTES layout edge cases.
#include <cstdint>
#include <string>
#include <vector>

#include "backend/onnxruntime/onnxruntime_backend.h"
#include "backend/onnxruntime/test_helpers.h"
#include "backend/onnxruntime/type_mapping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::backend::ort {
namespace {

using core::DataType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace ::inferd::backend::ort::testing;

const core::Shape kShape = {2, 3};

// Every type but BYTES, by the suffix its input/output names carry in identity_all_types.
const std::vector<std::pair<std::string, DataType>>& FixedTypes() {
  static const std::vector<std::pair<std::string, DataType>> types = {
      {"BOOL", DataType::kBool},     {"UINT8", DataType::kUint8},   {"UINT16", DataType::kUint16},
      {"UINT32", DataType::kUint32}, {"UINT64", DataType::kUint64}, {"INT8", DataType::kInt8},
      {"INT16", DataType::kInt16},   {"INT32", DataType::kInt32},   {"INT64", DataType::kInt64},
      {"FP16", DataType::kFp16},     {"BF16", DataType::kBf16},     {"FP32", DataType::kFp32},
      {"FP64", DataType::kFp64}};
  return types;
}

// Distinct, type-valid bit patterns per type: BOOL must stay 0/1; others use every byte.
core::Tensor FixedInput(const std::string& suffix, DataType dtype, const core::Shape& shape) {
  const size_t count = static_cast<size_t>(shape[0] * shape[1]);
  std::vector<uint8_t> bytes(count * core::ElementSize(dtype));
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = dtype == DataType::kBool ? static_cast<uint8_t>(i % 2)
                                        : static_cast<uint8_t>(0x11 * (i % 15) + 1);
  }
  return MakeTensor("IN_" + suffix, dtype, shape, bytes);
}

class AllTypesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto model = backend_->LoadModel(Spec("identity_all_types", TestModel("identity_all_types")));
    ASSERT_TRUE(model.ok()) << model.status();
    auto instance = (*model)->CreateInstance(0);
    ASSERT_TRUE(instance.ok()) << instance.status();
    instance_ = std::move(*instance);
  }

  std::vector<core::Tensor> Inputs(const core::Shape& shape, core::Tensor strings) {
    std::vector<core::Tensor> inputs;
    for (const auto& [suffix, dtype] : FixedTypes())
      inputs.push_back(FixedInput(suffix, dtype, shape));
    inputs.push_back(std::move(strings));
    return inputs;
  }

  std::unique_ptr<Backend> backend_ = CreateOnnxRuntimeBackend();
  std::unique_ptr<Instance> instance_;
};

TEST(TypeMappingTest, RoundTripsEveryType) {
  for (const auto& [suffix, dtype] : FixedTypes()) {
    EXPECT_EQ(FromOrtType(ToOrtType(dtype)), dtype) << suffix;
  }
  EXPECT_EQ(ToOrtType(DataType::kBytes), ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING);
  EXPECT_EQ(FromOrtType(ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64), DataType::kInvalid);
}

TEST_F(AllTypesTest, SignatureHasEveryType) {
  auto signature = backend_->ReadSignature(TestModel("identity_all_types"));
  ASSERT_TRUE(signature.ok()) << signature.status();
  ASSERT_EQ(signature->inputs.size(), 14u);
  EXPECT_EQ(signature->inputs[10].name, "IN_BF16");
  EXPECT_EQ(signature->inputs[10].dtype, DataType::kBf16);
  EXPECT_EQ(signature->inputs[13].dtype, DataType::kBytes);
  EXPECT_THAT(signature->outputs[13].dims, ElementsAre(-1, -1));
}

TEST_F(AllTypesTest, EveryTypeRoundTripsBitExactly) {
  // Includes an empty string, an embedded NUL and non-UTF-8 bytes.
  const std::vector<std::string> strings = {"",         "a",     std::string("b\0c", 3),
                                            "\xff\xfe", "hello", ""};
  auto inputs = Inputs(kShape, MakeBytesTensor("IN_STRING", kShape, strings));
  auto outputs = instance_->Execute(inputs, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const core::Tensor& out = (*outputs)[i];
    EXPECT_EQ(out.name, "OUT_" + inputs[i].name.substr(3));
    EXPECT_EQ(out.dtype, inputs[i].dtype) << out.name;
    EXPECT_THAT(out.shape, ElementsAre(2, 3)) << out.name;
    EXPECT_EQ(Bytes(out), Bytes(inputs[i])) << out.name;
  }
}

TEST_F(AllTypesTest, ZeroElementTensors) {
  const core::Shape empty = {0, 3};
  auto inputs = Inputs(empty, MakeBytesTensor("IN_STRING", empty, {}));
  auto outputs = instance_->Execute(inputs, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  for (const core::Tensor& out : *outputs) {
    EXPECT_THAT(out.shape, ElementsAre(0, 3)) << out.name;
    EXPECT_TRUE(out.data.empty()) << out.name;
  }
}

TEST_F(AllTypesTest, TruncatedBytesIsInvalidArgument) {
  auto strings = MakeBytesTensor("IN_STRING", kShape, {"aa", "bb", "cc", "dd", "ee", "ff"});
  strings.data = strings.data.first(strings.data.size() - 1);
  auto status = instance_->Execute(Inputs(kShape, strings), {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("IN_STRING"));

  strings.data = strings.data.first(2);  // not even a whole length prefix
  status = instance_->Execute(Inputs(kShape, strings), {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AllTypesTest, BytesElementCountMustMatchShape) {
  auto strings = MakeBytesTensor("IN_STRING", kShape, {"a", "b", "c"});
  auto status = instance_->Execute(Inputs(kShape, strings), {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("needs 6"));
}

TEST_F(AllTypesTest, RequestedSubsetOfOutputs) {
  const std::vector<std::string> names = {"OUT_STRING", "OUT_BF16"};
  auto inputs =
      Inputs(kShape, MakeBytesTensor("IN_STRING", kShape, {"1", "2", "3", "4", "5", "6"}));
  auto outputs = instance_->Execute(inputs, names);
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0].name, "OUT_STRING");
  EXPECT_EQ(Bytes((*outputs)[0]), Bytes(inputs[13]));
  EXPECT_EQ((*outputs)[1].name, "OUT_BF16");
  EXPECT_EQ(Bytes((*outputs)[1]), Bytes(inputs[10]));
}

}  // namespace
}  // namespace inferd::backend::ort
