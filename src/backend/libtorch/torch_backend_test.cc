// The libtorch backend over the TorchScript models scripts/make_torch_models.py generates at build
// time (testdata/torch in the build folder), compared with the outputs torch itself computed.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "backend/libtorch/libtorch_backend.h"

namespace inferd::backend {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(INFERD_BINARY_DIR) / "testdata" / "torch";
const fs::path kModule = fs::path(INFERD_BINARY_DIR) / "src" / "server" / "libinferd_libtorch.so";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ModelSpec Spec(const std::string& name) {
  ModelSpec spec;
  spec.name = name;
  spec.version = 1;
  spec.model_file = kModels / "repository" / name / "1" / "model.pt";
  const std::string text = ReadText(kModels / "repository" / name / "config.pbtxt");
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &spec.config)) << name;
  return spec;
}

// A tensor owning a copy of `values` converted to T.
template <typename T>
core::Tensor Make(const std::string& name, core::DataType type, core::Shape shape,
                  const std::vector<T>& values) {
  auto owned = core::MakeOwnedTensor(name, type, std::move(shape), values.size() * sizeof(T));
  std::memcpy(owned.writable.data(), values.data(), owned.writable.size());
  return owned.tensor;
}

std::vector<float> Floats(const core::Tensor& tensor) {
  std::vector<float> out(tensor.data.size() / sizeof(float));
  std::memcpy(out.data(), tensor.data.data(), tensor.data.size());
  return out;
}

struct Expected {
  core::Shape shape;
  std::vector<double> data;  // torch's float32 values, exactly
};
Expected ReadExpected(const std::string& model, const char* side, const char* tensor) {
  rapidjson::Document doc;
  doc.Parse(ReadText(kModels / "expected" / (model + ".json")).c_str());
  Expected out;
  const auto& entry = doc[side][tensor];
  for (const auto& d : entry["shape"].GetArray()) out.shape.push_back(d.GetInt64());
  for (const auto& v : entry["data"].GetArray()) out.data.push_back(v.GetDouble());
  return out;
}

core::Tensor ExpectedInput(const std::string& model, const char* name) {
  Expected e = ReadExpected(model, "inputs", name);
  return Make(name, core::DataType::kFp32, e.shape,
              std::vector<float>(e.data.begin(), e.data.end()));
}

void ExpectClose(const core::Tensor& actual, const Expected& expected) {
  EXPECT_EQ(actual.dtype, core::DataType::kFp32);
  EXPECT_EQ(actual.shape, expected.shape);
  const std::vector<float> got = Floats(actual);
  ASSERT_EQ(got.size(), expected.data.size());
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    worst = std::max(worst, std::fabs(static_cast<double>(got[i]) - expected.data[i]));
  }
  EXPECT_LE(worst, 1e-5) << actual.name;
}

class LibTorchBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kModels / "stamp")) GTEST_SKIP() << "no generated TorchScript models";
    backend_ = CreateLibTorchBackend(kModule);
  }
  std::unique_ptr<Instance> Instantiate(const ModelSpec& spec) {
    auto model = backend_->LoadModel(spec);
    EXPECT_TRUE(model.ok()) << model.status();
    if (!model.ok()) return nullptr;
    models_.push_back(*std::move(model));
    auto instance = models_.back()->CreateInstance(0);
    EXPECT_TRUE(instance.ok()) << instance.status();
    return instance.ok() ? *std::move(instance) : nullptr;
  }
  std::unique_ptr<Backend> backend_;
  std::vector<std::unique_ptr<Model>> models_;
};

TEST_F(LibTorchBackendTest, TracedModelMatchesTorchByPosition) {
  auto instance = Instantiate(Spec("torch_mlp_traced"));
  ASSERT_NE(instance, nullptr);
  const std::vector<core::Tensor> inputs = {ExpectedInput("torch_mlp_traced", "INPUT__0")};
  auto outputs = instance->Execute(inputs, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), 1u);
  EXPECT_EQ((*outputs)[0].name, "OUTPUT__0");
  ExpectClose((*outputs)[0], ReadExpected("torch_mlp_traced", "outputs", "OUTPUT__0"));
}

TEST_F(LibTorchBackendTest, ScriptedModelBindsInputsByName) {
  auto instance = Instantiate(Spec("torch_pair_scripted"));
  ASSERT_NE(instance, nullptr);
  const std::vector<core::Tensor> inputs = {ExpectedInput("torch_pair_scripted", "scale"),
                                            ExpectedInput("torch_pair_scripted", "image")};
  const std::vector<std::string> wanted = {"total", "scaled"};
  auto outputs = instance->Execute(inputs, wanted);
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), 2u);
  EXPECT_EQ((*outputs)[0].name, "total");
  ExpectClose((*outputs)[0], ReadExpected("torch_pair_scripted", "outputs", "total"));
  ExpectClose((*outputs)[1], ReadExpected("torch_pair_scripted", "outputs", "scaled"));
}

TEST_F(LibTorchBackendTest, EveryTypeRoundTrips) {
  auto spec = Spec("torch_all_types");
  auto instance = Instantiate(spec);
  ASSERT_NE(instance, nullptr);
  std::vector<core::Tensor> inputs;
  for (const auto& in : spec.config.input()) {
    const core::DataType type = core::FromConfigType(in.data_type());
    // Bytes that are a valid value in every type (0x00 and 0x01 per byte: bool-safe).
    std::vector<uint8_t> bytes(3 * core::ElementSize(type));
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = (i % 3 == 0) ? 1 : 0;
    inputs.push_back(Make(in.name(), type, {3}, bytes));
  }
  auto outputs = instance->Execute(inputs, {});
  ASSERT_TRUE(outputs.ok()) << outputs.status();
  ASSERT_EQ(outputs->size(), inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) {
    EXPECT_EQ((*outputs)[k].dtype, inputs[k].dtype) << k;
    EXPECT_EQ((*outputs)[k].shape, inputs[k].shape) << k;
    ASSERT_EQ((*outputs)[k].data.size(), inputs[k].data.size()) << k;
    EXPECT_EQ(std::memcmp((*outputs)[k].data.data(), inputs[k].data.data(), inputs[k].data.size()),
              0)
        << core::DataTypeName(inputs[k].dtype);
  }
}

TEST_F(LibTorchBackendTest, ExceptionInForwardIsThatCallsError) {
  auto instance = Instantiate(Spec("torch_throws"));
  ASSERT_NE(instance, nullptr);
  const std::vector<core::Tensor> big = {
      Make<float>("INPUT__0", core::DataType::kFp32, {4}, {1000, 1000, 1, 1})};
  auto failed = instance->Execute(big, {});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(failed.status().message().find("inferd-test: the input sum is above 1000"),
            std::string::npos)
      << failed.status();
  const std::vector<core::Tensor> small = {
      Make<float>("INPUT__0", core::DataType::kFp32, {4}, {1, 2, 3, 4})};
  auto ok = instance->Execute(small, {});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(Floats((*ok)[0]), (std::vector<float>{2, 4, 6, 8}));
}

TEST_F(LibTorchBackendTest, DictAndNestedOutputsAreRefusedAtLoad) {
  for (const char* name : {"torch_dict_output", "torch_nested_output"}) {
    auto model = backend_->LoadModel(Spec(name));
    ASSERT_FALSE(model.ok()) << name;
    EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(model.status().message().find("serves a Tensor, a Tuple of Tensors or a List"),
              std::string::npos)
        << model.status();
  }
}

TEST_F(LibTorchBackendTest, SharedWeightsServeSeveralInstances) {
  auto spec = Spec("torch_mlp_traced");
  (*spec.config.mutable_parameters())["ENABLE_WEIGHT_SHARING"].set_string_value("true");
  (*spec.config.mutable_parameters())["INTRA_OP_THREAD_COUNT"].set_string_value("1");
  auto model = backend_->LoadModel(spec);
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<core::Tensor> inputs = {ExpectedInput("torch_mlp_traced", "INPUT__0")};
  for (int i = 0; i < 3; ++i) {
    auto instance = (*model)->CreateInstance(i);
    ASSERT_TRUE(instance.ok()) << instance.status();
    auto outputs = (*instance)->Execute(inputs, {});
    ASSERT_TRUE(outputs.ok()) << outputs.status();
    ExpectClose((*outputs)[0], ReadExpected("torch_mlp_traced", "outputs", "OUTPUT__0"));
  }
}

TEST_F(LibTorchBackendTest, BadModelsAndSettingsFailTheLoadClearly) {
  auto gpu = Spec("torch_mlp_traced");
  gpu.config.add_instance_group()->set_kind(::inference::ModelInstanceGroup::KIND_GPU);
  EXPECT_NE(backend_->LoadModel(gpu).status().message().find("KIND_GPU"), std::string::npos);

  auto garbage = Spec("torch_mlp_traced");
  garbage.model_file = kModels / "repository" / "torch_mlp_traced" / "config.pbtxt";
  auto loaded = backend_->LoadModel(garbage);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find("not a TorchScript model"), std::string::npos)
      << loaded.status();

  auto bad_threads = Spec("torch_mlp_traced");
  (*bad_threads.config.mutable_parameters())["INTRA_OP_THREAD_COUNT"].set_string_value("x");
  EXPECT_NE(backend_->LoadModel(bad_threads).status().message().find("INTRA_OP_THREAD_COUNT"),
            std::string::npos);
}

TEST_F(LibTorchBackendTest, MissingModuleIsAClearLoadError) {
  auto backend = CreateLibTorchBackend("/nonexistent/libinferd_libtorch.so");
  auto model = backend->LoadModel(Spec("torch_mlp_traced"));
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(model.status().message().find("cannot load the libtorch backend's module"),
            std::string::npos)
      << model.status();
}

}  // namespace
}  // namespace inferd::backend
