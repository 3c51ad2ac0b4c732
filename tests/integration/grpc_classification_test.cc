// The KServe classification extension over gRPC against the real server on the example
// `convnet` (10 classes, labels.txt): an output requested with parameter "classification"
// comes back as BYTES "score:index:label" strings, in the same form (typed or raw) as the rest
// of the response. The expected strings are computed here from the unclassified output.
#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

using ::inference::InferParameter;

constexpr int kPixels = 3 * 224 * 224;

std::vector<std::string> ConvnetLabels() {
  std::ifstream file(SourcePath("examples/model_repository/convnet/labels.txt"));
  std::vector<std::string> labels;
  for (std::string line; std::getline(file, line);) labels.push_back(line);
  return labels;
}

// Two different images (batch 2), as typed or raw contents.
ModelInferRequest ConvnetRequest(bool raw) {
  std::vector<float> input(2 * kPixels);
  for (int i = 0; i < kPixels; ++i) {
    input[i] = 0.5f;
    input[kPixels + i] = static_cast<float>((i * 7919) % 255) / 255.f - 0.5f;
  }
  ModelInferRequest request;
  request.set_model_name("convnet");
  auto* tensor = request.add_inputs();
  tensor->set_name("INPUT0");
  tensor->set_datatype("FP32");
  for (int d : {2, 3, 224, 224}) tensor->add_shape(d);
  if (raw) {
    request.add_raw_input_contents(RawBytes(input));
  } else {
    tensor->mutable_contents()->mutable_fp32_contents()->Add(input.begin(), input.end());
  }
  return request;
}

// Decodes KServe's raw BYTES layout: a 4-byte little-endian length before each element.
std::vector<std::string> FromRawBytes(const std::string& raw) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos + 4 <= raw.size()) {
    uint32_t length = 0;
    std::memcpy(&length, raw.data() + pos, 4);
    out.push_back(raw.substr(pos + 4, length));
    pos += 4 + length;
  }
  return out;
}

class GrpcClassificationTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository")});
  }

  static ::grpc::Status Infer(const ModelInferRequest& request, ModelInferResponse& response) {
    ::grpc::ClientContext context;
    Bound(context);
    return stub_->ModelInfer(&context, request, &response);
  }

  // The strings Triton would give for the unclassified logits of both images: top `count` each.
  static std::vector<std::string> Expected(int count) {
    ModelInferResponse plain;
    auto status = Infer(ConvnetRequest(/*raw=*/true), plain);
    EXPECT_TRUE(status.ok()) << status.error_message();
    const std::vector<float> logits = FromRaw<float>(plain.raw_output_contents(0));
    EXPECT_EQ(logits.size(), 20u);
    const auto labels = ConvnetLabels();
    std::vector<std::string> out;
    for (int row = 0; row < 2; ++row) {
      const float* scores = logits.data() + row * 10;
      std::vector<int> order(10);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](int a, int b) { return scores[a] > scores[b]; });
      for (int i = 0; i < std::min(count, 10); ++i) {
        out.push_back(std::to_string(scores[order[i]]) + ":" + std::to_string(order[i]) + ":" +
                      labels[order[i]]);
      }
    }
    return out;
  }

  static void Classify(ModelInferRequest& request, InferParameter parameter) {
    auto* output = request.add_outputs();
    output->set_name("OUTPUT0");
    (*output->mutable_parameters())["classification"] = std::move(parameter);
  }
};

InferParameter Int64(int64_t value) {
  InferParameter p;
  p.set_int64_param(value);
  return p;
}

// Typed request, raw answer: Triton's clients read raw_output_contents only.
TEST_F(GrpcClassificationTest, TypedRequestGetsRawStrings) {
  ModelInferRequest request = ConvnetRequest(/*raw=*/false);
  Classify(request, Int64(3));  // as Triton's clients send it
  ModelInferResponse response;
  auto status = Infer(request, response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.outputs_size(), 1);
  const auto& output = response.outputs(0);
  EXPECT_EQ(output.name(), "OUTPUT0");
  EXPECT_EQ(output.datatype(), "BYTES");
  EXPECT_EQ(std::vector<int64_t>(output.shape().begin(), output.shape().end()),
            (std::vector<int64_t>{2, 3}));
  EXPECT_FALSE(output.has_contents());
  ASSERT_EQ(response.raw_output_contents_size(), 1);
  EXPECT_EQ(FromRawBytes(response.raw_output_contents(0)), Expected(3));
}

TEST_F(GrpcClassificationTest, RawRequestGetsRawStringsCappedAtTheClassCount) {
  ModelInferRequest request = ConvnetRequest(/*raw=*/true);
  InferParameter count;
  count.set_uint64_param(25);  // more than the 10 classes: all of them, as Triton
  Classify(request, count);
  ModelInferResponse response;
  auto status = Infer(request, response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.outputs_size(), 1);
  EXPECT_EQ(response.outputs(0).datatype(), "BYTES");
  EXPECT_EQ(
      std::vector<int64_t>(response.outputs(0).shape().begin(), response.outputs(0).shape().end()),
      (std::vector<int64_t>{2, 10}));
  ASSERT_EQ(response.raw_output_contents_size(), 1);
  EXPECT_EQ(FromRawBytes(response.raw_output_contents(0)), Expected(25));
}

TEST_F(GrpcClassificationTest, StreamedRequestIsClassifiedToo) {
  ::grpc::ClientContext context;
  Bound(context);
  auto stream = stub_->ModelStreamInfer(&context);
  ModelInferRequest request = ConvnetRequest(/*raw=*/false);
  Classify(request, Int64(1));
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->WritesDone());
  ::inference::ModelStreamInferResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_EQ(response.error_message(), "");
  ASSERT_EQ(response.infer_response().raw_output_contents_size(), 1);
  EXPECT_EQ(FromRawBytes(response.infer_response().raw_output_contents(0)), Expected(1));
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(GrpcClassificationTest, BadParameterIsInvalidArgument) {
  std::vector<InferParameter> bad(5);
  bad[0].set_bool_param(true);
  bad[1].set_string_param("3");
  bad[2] = Int64(0);
  bad[3] = Int64(-2);
  bad[4].set_uint64_param(0);
  for (const auto& parameter : bad) {
    ModelInferRequest request = ConvnetRequest(/*raw=*/true);
    Classify(request, parameter);
    ModelInferResponse response;
    auto status = Infer(request, response);
    EXPECT_EQ(status.error_code(), ::grpc::StatusCode::INVALID_ARGUMENT) << parameter.DebugString();
    EXPECT_NE(status.error_message().find("classification"), std::string::npos)
        << status.error_message();
  }
}

}  // namespace
}  // namespace inferd::testing
