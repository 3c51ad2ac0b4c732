#include <cstdint>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "backend/onnxruntime/onnxruntime_backend.h"
#include "backend/onnxruntime/test_helpers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::backend::ort {
namespace {

using core::DataType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace ::inferd::backend::ort::testing;

std::unique_ptr<Instance> LoadInstance(Backend& backend, const ModelSpec& spec) {
  auto model = backend.LoadModel(spec);
  EXPECT_TRUE(model.ok()) << model.status();
  if (!model.ok()) return nullptr;
  auto instance = (*model)->CreateInstance(0);
  EXPECT_TRUE(instance.ok()) << instance.status();
  return instance.ok() ? std::move(*instance) : nullptr;
}

std::filesystem::path WriteGarbage() {
  auto path = std::filesystem::temp_directory_path() /
              ("inferd_garbage_" +
               std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".onnx");
  std::ofstream(path) << "this is not an ONNX model";
  return path;
}

class OrtBackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<Backend> backend_ = CreateOnnxRuntimeBackend();
};

TEST_F(OrtBackendTest, Name) { EXPECT_EQ(backend_->Name(), "onnxruntime"); }

TEST_F(OrtBackendTest, ReadsSimpleSignature) {
  auto signature = backend_->ReadSignature(ExampleModel("simple"));
  ASSERT_TRUE(signature.ok()) << signature.status();
  ASSERT_EQ(signature->inputs.size(), 2u);
  EXPECT_EQ(signature->inputs[0].name, "INPUT0");
  EXPECT_EQ(signature->inputs[1].name, "INPUT1");
  EXPECT_EQ(signature->inputs[0].dtype, DataType::kInt32);
  EXPECT_THAT(signature->inputs[0].dims, ElementsAre(-1, 16));
  ASSERT_EQ(signature->outputs.size(), 2u);
  EXPECT_EQ(signature->outputs[0].name, "OUTPUT0");
  EXPECT_EQ(signature->outputs[1].name, "OUTPUT1");
  EXPECT_THAT(signature->outputs[1].dims, ElementsAre(-1, 16));
}

TEST_F(OrtBackendTest, ReadsOtherExampleSignatures) {
  auto mlp = backend_->ReadSignature(ExampleModel("mlp"));
  ASSERT_TRUE(mlp.ok()) << mlp.status();
  EXPECT_THAT(mlp->inputs[0].dims, ElementsAre(-1, 784));
  EXPECT_THAT(mlp->outputs[0].dims, ElementsAre(-1, 10));
  auto convnet = backend_->ReadSignature(ExampleModel("convnet"));
  ASSERT_TRUE(convnet.ok()) << convnet.status();
  EXPECT_THAT(convnet->inputs[0].dims, ElementsAre(-1, 3, 224, 224));
  EXPECT_EQ(convnet->outputs[0].dtype, DataType::kFp32);
  auto fp32 = backend_->ReadSignature(ExampleModel("add_sub_fp32"));
  ASSERT_TRUE(fp32.ok()) << fp32.status();
  EXPECT_EQ(fp32->inputs[0].dtype, DataType::kFp32);
  auto autocomplete = backend_->ReadSignature(ExampleModel("identity_autocomplete"));
  ASSERT_TRUE(autocomplete.ok()) << autocomplete.status();
  EXPECT_THAT(autocomplete->inputs[0].dims, ElementsAre(-1, 4));
  auto fixed = backend_->ReadSignature(TestModel("fixed_shape"));
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_THAT(fixed->inputs[0].dims, ElementsAre(2, 3));
}

TEST_F(OrtBackendTest, GarbageModelIsAClearError) {
  const auto path = WriteGarbage();
  auto signature = backend_->ReadSignature(path);
  ASSERT_FALSE(signature.ok());
  EXPECT_THAT(signature.status().message(), HasSubstr(path.string()));
  auto model = backend_->LoadModel(Spec("garbage", path));
  ASSERT_FALSE(model.ok());
  EXPECT_THAT(model.status().message(), HasSubstr(path.string()));
  std::filesystem::remove(path);
}

TEST_F(OrtBackendTest, MissingModelFileIsNotFound) {
  auto signature = backend_->ReadSignature("/nonexistent/model.onnx");
  ASSERT_FALSE(signature.ok());
  EXPECT_EQ(signature.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(OrtBackendTest, KindGpuIsALoadError) {
  auto spec = Spec("simple", ExampleModel("simple"));
  spec.config.add_instance_group()->set_kind(::inference::ModelInstanceGroup::KIND_GPU);
  auto model = backend_->LoadModel(spec);
  ASSERT_FALSE(model.ok());
  EXPECT_THAT(model.status().message(), HasSubstr("instance_group kind KIND_GPU needs a GPU; "));
  EXPECT_THAT(model.status().message(), HasSubstr("set kind: KIND_CPU to run on the CPU"));
}

TEST_F(OrtBackendTest, BadParameterIsALoadError) {
  auto spec = Spec("simple", ExampleModel("simple"));
  (*spec.config.mutable_parameters())["intra_op_thread_count"].set_string_value("many");
  auto model = backend_->LoadModel(spec);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(), HasSubstr("intra_op_thread_count"));
}

class SimpleModelTest : public OrtBackendTest {
 protected:
  void SetUp() override {
    auto spec = Spec("simple", ExampleModel("simple"));
    spec.config.add_instance_group()->set_kind(::inference::ModelInstanceGroup::KIND_CPU);
    instance_ = LoadInstance(*backend_, spec);
    ASSERT_NE(instance_, nullptr);
    a_.resize(32);
    b_.resize(32);
    std::iota(a_.begin(), a_.end(), -5);
    for (size_t i = 0; i < b_.size(); ++i) b_[i] = static_cast<int32_t>(3 * i + 1);
    inputs_ = {MakeTensor("INPUT0", DataType::kInt32, {2, 16}, a_),
               MakeTensor("INPUT1", DataType::kInt32, {2, 16}, b_)};
  }

  std::unique_ptr<Instance> instance_;
  std::vector<int32_t> a_, b_;
  std::vector<core::Tensor> inputs_;
};

TEST_F(SimpleModelTest, AddsAndSubtracts) {
  auto outputs = instance_->Execute(inputs_, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0].name, "OUTPUT0");
  EXPECT_THAT((*outputs)[0].shape, ElementsAre(2, 16));
  EXPECT_EQ((*outputs)[0].dtype, DataType::kInt32);
  const auto sum = Values<int32_t>((*outputs)[0]);
  const auto diff = Values<int32_t>((*outputs)[1]);
  ASSERT_EQ(sum.size(), a_.size());
  for (size_t i = 0; i < a_.size(); ++i) {
    EXPECT_EQ(sum[i], a_[i] + b_[i]);
    EXPECT_EQ(diff[i], a_[i] - b_[i]);
  }
}

TEST_F(SimpleModelTest, OutputsComeInRequestedOrderAndOutliveTheInstance) {
  const std::vector<std::string> names = {"OUTPUT1"};
  auto outputs = instance_->Execute(inputs_, names);
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  instance_.reset();
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_EQ((*outputs)[0].name, "OUTPUT1");
  EXPECT_NE((*outputs)[0].owner, nullptr);
  EXPECT_EQ(Values<int32_t>((*outputs)[0])[0], a_[0] - b_[0]);
}

TEST_F(SimpleModelTest, UnalignedInputIsCopied) {
  // Place INPUT0 at an odd offset, as a binary HTTP body may.
  auto buffer = std::make_shared<std::vector<std::byte>>(a_.size() * 4 + 1);
  std::memcpy(buffer->data() + 1, a_.data(), a_.size() * 4);
  inputs_[0].data = std::span<const std::byte>(buffer->data() + 1, a_.size() * 4);
  inputs_[0].owner = buffer;
  auto outputs = instance_->Execute(inputs_, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_EQ(Values<int32_t>((*outputs)[0])[31], a_[31] + b_[31]);
}

TEST_F(SimpleModelTest, WrongByteSizeIsInvalidArgument) {
  inputs_[1].data = inputs_[1].data.first(inputs_[1].data.size() - 4);
  auto outputs = instance_->Execute(inputs_, {});
  ASSERT_FALSE(outputs.ok());
  EXPECT_EQ(outputs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outputs.status().message(), HasSubstr("INPUT1"));
}

// The backend does not validate requests itself (core::ValidateRequest does, once, before they
// are queued), so what reaches it unchecked is ONNX Runtime's to refuse: an error, never a crash.
TEST_F(SimpleModelTest, InputsTheModelRefusesAreErrorsFromTheRuntime) {
  auto unknown_input = inputs_;
  unknown_input[1].name = "NOPE";
  auto status = instance_->Execute(unknown_input, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("NOPE"));

  auto wrong_type = inputs_;
  wrong_type[0].dtype = DataType::kFp32;
  status = instance_->Execute(wrong_type, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("running model 'simple'"));

  auto wrong_shape = inputs_;
  wrong_shape[0].shape = {4, 8};
  status = instance_->Execute(wrong_shape, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("INPUT0"));

  const std::vector<std::string> names = {"OUTPUT0", "MISSING_OUT"};
  status = instance_->Execute(inputs_, names).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("MISSING_OUT"));
}

// The case where the two validators used to disagree: a config may mark INPUT1 `optional: true`
// and core::ValidateRequest then lets a request omit it. The backend no longer refuses that with
// a check of its own ("requires input"); as Triton, it runs without the input and ONNX Runtime,
// whose graph needs it, names the missing input.
TEST_F(SimpleModelTest, OmittedOptionalInputIsLeftToTheRuntime) {
  const auto status = instance_->Execute(std::span(inputs_).first(1), {}).status();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("running model 'simple'"));
  EXPECT_THAT(status.message(), HasSubstr("INPUT1"));
  EXPECT_THAT(status.message(), Not(HasSubstr("requires input")));
}

TEST_F(SimpleModelTest, MismatchedBatchSizesAreAnErrorNotACrash) {
  // [2,16] + [3,16] fits the declared [-1,16] but cannot broadcast: ORT fails inside the kernel.
  inputs_[1] = MakeTensor("INPUT1", DataType::kInt32, {3, 16}, std::vector<int32_t>(48, 1));
  auto status = instance_->Execute(inputs_, {}).status();
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("running model 'simple'"));
}

TEST_F(OrtBackendTest, SeveralInstancesWithSessionParameters) {
  auto spec = Spec("add_sub_fp32", ExampleModel("add_sub_fp32"));
  auto& params = *spec.config.mutable_parameters();
  params["intra_op_thread_count"].set_string_value("2");
  params["enable_mem_arena"].set_string_value("0");
  params["allow_spinning"].set_string_value("true");
  spec.config.mutable_optimization()->mutable_graph()->set_level(-1);
  auto model = backend_->LoadModel(spec);
  ASSERT_TRUE(model.ok()) << model.status();
  std::vector<float> ones(16, 1.0f);
  const std::vector<core::Tensor> inputs = {MakeTensor("INPUT0", DataType::kFp32, {1, 16}, ones),
                                            MakeTensor("INPUT1", DataType::kFp32, {1, 16}, ones)};
  for (int i = 0; i < 3; ++i) {
    auto instance = (*model)->CreateInstance(i);
    ASSERT_TRUE(instance.ok()) << instance.status();
    auto outputs = (*instance)->Execute(inputs, {});
    ASSERT_TRUE(outputs.ok()) << outputs.status();
    EXPECT_EQ(Values<float>((*outputs)[0])[0], 2.0f);
  }
}

TEST_F(OrtBackendTest, MlpOutputsAreProbabilities) {
  auto instance = LoadInstance(*backend_, Spec("mlp", ExampleModel("mlp")));
  ASSERT_NE(instance, nullptr);
  std::vector<float> pixels(3 * 784);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<float>(i % 255) / 255.0f;
  const std::vector<core::Tensor> inputs = {
      MakeTensor("INPUT0", DataType::kFp32, {3, 784}, pixels)};
  auto outputs = instance->Execute(inputs, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_THAT((*outputs)[0].shape, ElementsAre(3, 10));
  const auto probabilities = Values<float>((*outputs)[0]);
  EXPECT_NEAR(std::accumulate(probabilities.begin(), probabilities.begin() + 10, 0.0f), 1.0f,
              1e-5f);
}

TEST_F(OrtBackendTest, ConvnetRuns) {
  auto instance = LoadInstance(*backend_, Spec("convnet", ExampleModel("convnet")));
  ASSERT_NE(instance, nullptr);
  std::vector<float> image(2 * 3 * 224 * 224, 0.5f);
  const std::vector<core::Tensor> inputs = {
      MakeTensor("INPUT0", DataType::kFp32, {2, 3, 224, 224}, image)};
  auto outputs = instance->Execute(inputs, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  EXPECT_THAT((*outputs)[0].shape, ElementsAre(2, 10));
  const auto logits = Values<float>((*outputs)[0]);
  EXPECT_FLOAT_EQ(logits[0], logits[10]);  // identical images, identical logits
}

}  // namespace
}  // namespace inferd::backend::ort
