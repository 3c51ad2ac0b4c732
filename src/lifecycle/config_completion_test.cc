// Config completion as a load does it (lifecycle::CompleteConfig): the backend registry resolves
// the backend and contributes its part (here the signature-based rules ONNX Runtime registers),
// then repository::AutoCompleteConfig applies Triton's core rules and validation.
#include "backend/registry/signature_autocomplete.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lifecycle/model_loader.h"
#include "repository/model_config.h"
#include "testing/fake_backend.h"
#include "testing/identity_backend.h"

namespace inferd::lifecycle {
namespace {

using backend::SignatureSupportsBatching;
using core::DataType;
using repository::AutoCompleteOptions;
using repository::DefaultInstanceCount;
using repository::ParseConfigText;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

core::ModelSignature Sig(std::vector<core::TensorSpec> in, std::vector<core::TensorSpec> out) {
  return core::ModelSignature{std::move(in), std::move(out)};
}

// An image classifier that can batch: [-1,3,224,224] -> [-1,1000].
core::ModelSignature Batching() {
  return Sig({{"INPUT0", DataType::kFp32, {-1, 3, 224, 224}}},
             {{"OUTPUT0", DataType::kFp32, {-1, 1000}}});
}

AutoCompleteOptions Opts(bool auto_complete = true) {
  AutoCompleteOptions o;
  o.model_name = "m";
  o.auto_complete = auto_complete;
  o.cpu_cores = 2;
  return o;
}

::inference::ModelConfig Parse(std::string_view text) {
  auto c = ParseConfigText(text, "config.pbtxt");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *c : ::inference::ModelConfig();
}

// What a load does: resolve the config's backend, then complete with it.
StatusOr<::inference::ModelConfig> AutoCompleteConfig(const core::ModelSignature& signature,
                                                      const AutoCompleteOptions& options,
                                                      ::inference::ModelConfig config) {
  static backend::testing::FakeBackend fake{core::ModelSignature{}};
  static const auto backends = backend::testing::RegistryWith(fake);
  ASSIGN_OR_RETURN(const backend::RegisteredBackend* chosen, backends->Resolve(config));
  return CompleteConfig(*chosen, signature, options, std::move(config));
}

TEST(DefaultInstanceCount, OnePerCoreUpToFour) {
  EXPECT_EQ(DefaultInstanceCount(0), 1);
  EXPECT_EQ(DefaultInstanceCount(1), 1);
  EXPECT_EQ(DefaultInstanceCount(3), 3);
  EXPECT_EQ(DefaultInstanceCount(64), 4);
}

TEST(SignatureSupportsBatching, AllFirstDimsVariable) {
  EXPECT_TRUE(SignatureSupportsBatching(Batching()));
  EXPECT_FALSE(SignatureSupportsBatching(
      Sig({{"a", DataType::kFp32, {-1, 4}}, {"b", DataType::kFp32, {1, 4}}},
          {{"y", DataType::kFp32, {-1, 4}}})));
  EXPECT_FALSE(SignatureSupportsBatching(
      Sig({{"a", DataType::kFp32, {-1}}}, {{"y", DataType::kFp32, {}}})));  // scalar output
}

TEST(AutoCompleteConfig, NoConfigBatchingModel) {
  auto c = AutoCompleteConfig(Batching(), Opts(), {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->name(), "m");
  EXPECT_EQ(c->backend(), "onnxruntime");
  EXPECT_EQ(c->platform(), "onnxruntime_onnx");
  EXPECT_EQ(c->default_model_filename(), "model.onnx");
  EXPECT_EQ(c->max_batch_size(), 4);
  ASSERT_TRUE(c->has_dynamic_batching());
  EXPECT_THAT(c->dynamic_batching().preferred_batch_size(), ElementsAre(4));
  ASSERT_EQ(c->input_size(), 1);
  EXPECT_EQ(c->input(0).name(), "INPUT0");
  EXPECT_EQ(c->input(0).data_type(), ::inference::TYPE_FP32);
  EXPECT_THAT(c->input(0).dims(), ElementsAre(3, 224, 224));  // batch dim dropped
  EXPECT_THAT(c->output(0).dims(), ElementsAre(1000));
  ASSERT_TRUE(c->version_policy().has_latest());
  EXPECT_EQ(c->version_policy().latest().num_versions(), 1u);
  ASSERT_EQ(c->instance_group_size(), 1);
  EXPECT_EQ(c->instance_group(0).name(), "m");
  EXPECT_EQ(c->instance_group(0).kind(), ::inference::ModelInstanceGroup::KIND_CPU);
  EXPECT_EQ(c->instance_group(0).count(), 2);
}

TEST(AutoCompleteConfig, NoConfigFixedBatchModelKeepsFullShape) {
  const auto sig = Sig({{"x", DataType::kInt64, {1, 16}}, {"s", DataType::kBytes, {-1}}},
                       {{"y", DataType::kFp32, {1, 2}}});
  auto c = AutoCompleteConfig(sig, Opts(), {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_batch_size(), 0);
  EXPECT_FALSE(c->has_dynamic_batching());
  EXPECT_THAT(c->input(0).dims(), ElementsAre(1, 16));
  EXPECT_EQ(c->input(1).data_type(), ::inference::TYPE_STRING);
  EXPECT_THAT(c->output(0).dims(), ElementsAre(1, 2));
}

TEST(AutoCompleteConfig, ScalarPerItemGetsEmptyReshape) {
  const auto sig = Sig({{"x", DataType::kFp32, {-1}}}, {{"y", DataType::kFp32, {-1}}});
  auto c = AutoCompleteConfig(sig, Opts(), {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_batch_size(), 4);
  EXPECT_THAT(c->input(0).dims(), ElementsAre(1));
  EXPECT_TRUE(c->input(0).has_reshape());
  EXPECT_TRUE(c->input(0).reshape().shape().empty());
}

TEST(AutoCompleteConfig, PartialConfigFillsOutputsAndKeepsUserValues) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse(R"pb(
                                max_batch_size: 16 input
                                [ {
                                  name: "INPUT0"
                                  data_type: TYPE_FP32
                                  dims: [ 3, -1, -1 ]
                                }]
                                dynamic_batching { preferred_batch_size: [ 8 ] } instance_group
                                [ { kind: KIND_AUTO }
                                  , { count: 3 kind: KIND_CPU }]
                              )pb"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_batch_size(), 16);
  EXPECT_THAT(c->dynamic_batching().preferred_batch_size(), ElementsAre(8));
  EXPECT_THAT(c->input(0).dims(), ElementsAre(3, -1, -1));
  ASSERT_EQ(c->output_size(), 1);
  EXPECT_THAT(c->output(0).dims(), ElementsAre(1000));
  ASSERT_EQ(c->instance_group_size(), 2);
  EXPECT_EQ(c->instance_group(0).name(), "m_0");
  EXPECT_EQ(c->instance_group(0).kind(), ::inference::ModelInstanceGroup::KIND_AUTO);
  EXPECT_EQ(c->instance_group(0).count(), 2);
  EXPECT_EQ(c->instance_group(1).name(), "m_1");
  EXPECT_EQ(c->instance_group(1).count(), 3);
}

TEST(AutoCompleteConfig, PartialConfigGetsDefaultMaxBatchSize) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse(R"pb(
                                output
                                [ {
                                  name: "OUTPUT0"
                                  data_type: TYPE_FP32
                                  dims: [ 1000 ]
                                  label_filename: "l.txt"
                                }]
                              )pb"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_batch_size(), 4);
  EXPECT_TRUE(c->has_dynamic_batching());
  EXPECT_EQ(c->output(0).label_filename(), "l.txt");
  EXPECT_THAT(c->input(0).dims(), ElementsAre(3, 224, 224));
}

// Triton skips auto-complete when a config gives inputs and outputs: no batching is added.
TEST(AutoCompleteConfig, FullConfigWithoutMaxBatchSizeStaysNonBatching) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse(R"pb(
                                input
                                [ {
                                  name: "INPUT0"
                                  data_type: TYPE_FP32
                                  dims: [ -1, 3, 224, 224 ]
                                }] output
                                [ {
                                  name: "OUTPUT0"
                                  data_type: TYPE_FP32
                                  dims: [ -1, 1000 ]
                                }]
                              )pb"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_batch_size(), 0);
  EXPECT_FALSE(c->has_dynamic_batching());
}

TEST(AutoCompleteConfig, UserSchedulingIsKept) {
  auto c = AutoCompleteConfig(Batching(), Opts(),
                              Parse("dynamic_batching { max_queue_delay_microseconds: 7 }"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->dynamic_batching().max_queue_delay_microseconds(), 7u);
}

TEST(AutoCompleteConfig, MaxBatchSizeOneAddsNoDynamicBatching) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse("max_batch_size: 1"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->max_batch_size(), 1);
  EXPECT_FALSE(c->has_dynamic_batching());
}

TEST(AutoCompleteConfig, NameMismatchIsAnError) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse("name: \"other\""));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("'other'"));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("'m'"));
}

TEST(AutoCompleteConfig, OtherPlatformOrBackendIsAnError) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse("platform: \"tensorrt_plan\""));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "platform 'tensorrt_plan' is not supported; inferd serves backend 'onnxruntime' "
            "(platform 'onnxruntime_onnx')");
  c = AutoCompleteConfig(Batching(), Opts(), Parse("backend: \"python\""));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("backend 'python' is not supported"));
  EXPECT_TRUE(AutoCompleteConfig(Batching(), Opts(),
                                 Parse("platform: \"onnxruntime_onnx\" backend: \"onnxruntime\""))
                  .ok());
  c = AutoCompleteConfig(Batching(), Opts(),
                         Parse("platform: \"onnxruntime_onnx\" backend: \"other\""));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("backend 'other' is not supported"));
}

TEST(AutoCompleteConfig, DefaultModelFileNameIsKeptOrTheBackends) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse("default_model_filename: \"net.onnx\""));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->default_model_filename(), "net.onnx");
}

TEST(AutoCompleteConfig, MaxBatchSizeOnNonBatchingModelIsExplained) {
  const auto sig = Sig({{"x", DataType::kFp32, {1, 4}}}, {{"y", DataType::kFp32, {1, 4}}});
  auto c = AutoCompleteConfig(sig, Opts(), Parse("max_batch_size: 8"));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("input 'x' has shape [1,4]"));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("first dimension is fixed"));
}

TEST(AutoCompleteConfig, DisabledAutoCompleteRequiresInputs) {
  auto c = AutoCompleteConfig(Batching(), Opts(/*auto_complete=*/false), {});
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("'INPUT0'"));
  EXPECT_THAT(std::string(c.status().message()), HasSubstr("missing from config.pbtxt"));
}

TEST(AutoCompleteConfig, NegativeMaxBatchSizeIsAnError) {
  EXPECT_FALSE(AutoCompleteConfig(Batching(), Opts(), Parse("max_batch_size: -1")).ok());
}

TEST(AutoCompleteConfig, KeepsUserVersionPolicy) {
  auto c = AutoCompleteConfig(Batching(), Opts(), Parse("version_policy { all {} }"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->version_policy().has_all());
}

}  // namespace
}  // namespace inferd::lifecycle
