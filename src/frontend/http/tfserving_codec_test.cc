#include "frontend/http/tfserving_codec.h"

#include <cstring>
#include <string>
#include <vector>

#include "core/bytes_layout.h"
#include "frontend/http/json_value_tensor.h"
#include "frontend/http/tfserving/tfserving_handlers.h"
#include "gtest/gtest.h"

namespace inferd::frontend::http {
namespace {

using core::DataType;

template <typename T>
std::vector<T> Values(const core::Tensor& tensor) {
  std::vector<T> out(tensor.data.size() / sizeof(T));
  std::memcpy(out.data(), tensor.data.data(), tensor.data.size());
  return out;
}

std::vector<std::string> Strings(const core::Tensor& tensor) {
  auto split = core::SplitBytesElements(tensor.data);
  EXPECT_TRUE(split.ok());
  return std::vector<std::string>(split->begin(), split->end());
}

template <typename T>
core::Tensor Owned(std::string name, DataType dtype, core::Shape shape, std::vector<T> values) {
  auto owned =
      core::MakeOwnedTensor(std::move(name), dtype, std::move(shape), values.size() * sizeof(T));
  std::memcpy(owned.writable.data(), values.data(), owned.writable.size());
  return owned.tensor;
}

core::Tensor BytesTensor(std::string name, core::Shape shape,
                         const std::vector<std::string>& elements) {
  std::vector<std::byte> bytes;
  for (const auto& e : elements) core::AppendBytesElement(e, bytes);
  auto owned =
      core::MakeOwnedTensor(std::move(name), DataType::kBytes, std::move(shape), bytes.size());
  std::memcpy(owned.writable.data(), bytes.data(), bytes.size());
  return owned.tensor;
}

const std::vector<core::TensorSpec> kSingle = {{"x", DataType::kFp32, {-1, 2}}};
const std::vector<core::TensorSpec> kPair = {{"a", DataType::kInt32, {-1, 2}},
                                             {"b", DataType::kBytes, {-1}}};

TEST(TfsDecodeTest, RowFormatSingleInputStacksInstances) {
  auto decoded = DecodeTfsPredictRequest(R"({"instances": [[1, 2.5], [3, 4]]})", kSingle, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->format, TfsFormat::kRow);
  EXPECT_EQ(decoded->batch_size, 2);
  ASSERT_EQ(decoded->inputs.size(), 1u);
  EXPECT_EQ(decoded->inputs[0].name, "x");
  EXPECT_EQ(decoded->inputs[0].shape, (core::Shape{2, 2}));
  EXPECT_EQ(Values<float>(decoded->inputs[0]), (std::vector<float>{1, 2.5, 3, 4}));
}

TEST(TfsDecodeTest, RowFormatNamedInputsWithB64) {
  auto decoded =
      DecodeTfsPredictRequest(R"({"signature_name": "serving_default", "instances": [)"
                              R"({"a": [1, 2], "b": "s"}, {"b": {"b64": "aGk="}, "a": [3, 4]}]})",
                              kPair, {});
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->inputs.size(), 2u);
  EXPECT_EQ(decoded->inputs[0].shape, (core::Shape{2, 2}));
  EXPECT_EQ(Values<int32_t>(decoded->inputs[0]), (std::vector<int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(decoded->inputs[1].shape, (core::Shape{2}));
  EXPECT_EQ(Strings(decoded->inputs[1]), (std::vector<std::string>{"s", "hi"}));
}

TEST(TfsDecodeTest, ColumnarNamedSingleAndScalar) {
  auto named =
      DecodeTfsPredictRequest(R"({"inputs": {"b": [{"b64": "AP8="}], "a": [[5, 6]]}})", kPair, {});
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->format, TfsFormat::kColumnar);
  EXPECT_EQ(Strings(named->inputs[0]), (std::vector<std::string>{std::string("\0\xff", 2)}));
  EXPECT_EQ(named->inputs[1].shape, (core::Shape{1, 2}));

  auto single = DecodeTfsPredictRequest(R"({"inputs": [[1, 2]]})", kSingle, {});
  ASSERT_TRUE(single.ok()) << single.status();
  EXPECT_EQ(single->inputs[0].shape, (core::Shape{1, 2}));

  auto scalar = DecodeTfsPredictRequest(R"({"inputs": 7})", kSingle, {});
  ASSERT_TRUE(scalar.ok()) << scalar.status();
  EXPECT_EQ(scalar->inputs[0].shape, (core::Shape{}));
  EXPECT_EQ(Values<float>(scalar->inputs[0]), (std::vector<float>{7}));
}

TEST(TfsDecodeTest, ProtocolErrorsAreInvalidArgument) {
  const char* bad[] = {
      R"([1])",
      R"({})",
      R"({"instances": [[1, 2]], "inputs": [[1, 2]]})",
      R"({"instances": []})",
      R"({"instances": [[1, 2], [3]]})",            // ragged
      R"({"instances": [[1, "x"]]})",               // wrong element type
      R"({"instances": [{"x": [1, 2]}, [3, 4]]})",  // mixes objects and values
      R"({"instances": [{"y": [1, 2]}]})",          // unknown input
      R"({"inputs": {"x": [1, 2], "z": 1}})",
      R"({"inputs": [[1, 2]], "signature_name": 3})",
      R"({"inputs": [{"b64": "aGk="}]})",  // b64 for an FP32 input
  };
  for (const char* body : bad) {
    auto decoded = DecodeTfsPredictRequest(body, kSingle, {});
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
  EXPECT_FALSE(DecodeTfsPredictRequest(R"({"instances": [[1, 2]]})", kPair, {}).ok());
  EXPECT_FALSE(DecodeTfsPredictRequest(R"({"instances": [{"a": [1, 2]}]})", kPair, {}).ok());
  EXPECT_FALSE(
      DecodeTfsPredictRequest(R"({"inputs": {"b": [{"b64": "!!"}], "a": [[1, 2]]}})", kPair, {})
          .ok());
  DecodeLimits tiny;
  tiny.max_input_size = 3;
  EXPECT_FALSE(DecodeTfsPredictRequest(R"({"instances": [[1, 2], [3, 4]]})", kSingle, tiny).ok());
}

core::InferenceResponse Response(std::vector<core::Tensor> outputs) {
  core::InferenceResponse response;
  response.outputs = std::move(outputs);
  return response;
}

TEST(TfsEncodeTest, RowAndColumnarShapes) {
  auto y = Owned<float>("y", DataType::kFp32, {2, 2}, {1, 2.5, -3, 4});
  auto z = Owned<int64_t>("z", DataType::kInt64, {2}, {7, 8});
  EXPECT_EQ(*EncodeTfsPredictResponse(Response({y}), TfsFormat::kRow, 2),
            R"({"predictions":[[1,2.5],[-3,4]]})");
  EXPECT_EQ(*EncodeTfsPredictResponse(Response({y, z}), TfsFormat::kRow, 2),
            R"({"predictions":[{"y":[1,2.5],"z":7},{"y":[-3,4],"z":8}]})");
  EXPECT_EQ(*EncodeTfsPredictResponse(Response({y}), TfsFormat::kColumnar, 0),
            R"({"outputs":[[1,2.5],[-3,4]]})");
  EXPECT_EQ(*EncodeTfsPredictResponse(Response({y, z}), TfsFormat::kColumnar, 0),
            R"({"outputs":{"y":[[1,2.5],[-3,4]],"z":[7,8]}})");
  auto mismatch = EncodeTfsPredictResponse(Response({y}), TfsFormat::kRow, 3);
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(mismatch.status().message()).find("inconsistent batch size"),
            std::string::npos);
}

TEST(TfsEncodeTest, BytesOutputsUseB64WhenNamedOrBinary) {
  auto text = BytesTensor("text", {2}, {"hi", std::string("\xff", 1)});
  auto named = BytesTensor("image_bytes", {1}, {"hi"});
  EXPECT_EQ(*EncodeTfsPredictResponse(Response({text}), TfsFormat::kColumnar, 0),
            R"({"outputs":["hi",{"b64":"/w=="}]})");
  EXPECT_EQ(*EncodeTfsPredictResponse(Response({named}), TfsFormat::kRow, 1),
            R"({"predictions":[{"b64":"aGk="}]})");
}

TEST(TfsStatusTest, HttpCodesAsTfServing) {
  namespace bh = boost::beast::http;
  EXPECT_EQ(TfsHttpStatus(absl::InvalidArgumentError("")), bh::status::bad_request);
  EXPECT_EQ(TfsHttpStatus(absl::FailedPreconditionError("")), bh::status::bad_request);
  EXPECT_EQ(TfsHttpStatus(absl::NotFoundError("")), bh::status::not_found);
  EXPECT_EQ(TfsHttpStatus(absl::ResourceExhaustedError("")), bh::status::too_many_requests);
  EXPECT_EQ(TfsHttpStatus(absl::UnavailableError("")), bh::status::service_unavailable);
  EXPECT_EQ(TfsHttpStatus(absl::UnimplementedError("")), bh::status::not_implemented);
  EXPECT_EQ(TfsHttpStatus(absl::DeadlineExceededError("")), bh::status::gateway_timeout);
  EXPECT_EQ(static_cast<int>(TfsHttpStatus(absl::CancelledError(""))), 499);
  auto response = TfsErrorResponse(absl::NotFoundError("no \"m\""));
  EXPECT_EQ(response.body(), R"({"error":"no \"m\""})");
}

TEST(TfsLabelsTest, VersionForLabel) {
  ::inference::ModelConfig config;
  config.set_name("m");
  (*config.mutable_parameters())[kVersionLabelsParameter].set_string_value(
      "stable=1, canary = 3,bad=x");
  EXPECT_EQ(*VersionForLabel(config, "stable"), 1);
  EXPECT_EQ(*VersionForLabel(config, "canary"), 3);
  EXPECT_EQ(VersionForLabel(config, "bad").status().code(), absl::StatusCode::kInvalidArgument);
  auto unknown = VersionForLabel(config, "beta");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(), "Unrecognized servable version label: beta");
  EXPECT_FALSE(VersionForLabel(::inference::ModelConfig(), "stable").ok());
}

}  // namespace
}  // namespace inferd::frontend::http
