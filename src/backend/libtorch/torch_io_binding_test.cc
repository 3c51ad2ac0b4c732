#include "backend/libtorch/torch_io_binding.h"

#include <gtest/gtest.h>

#include <string>

namespace inferd::backend::libtorch {
namespace {

ForwardSchema Schema(std::vector<ForwardArgument> arguments, std::string return_type, int count) {
  return ForwardSchema{std::move(arguments), std::move(return_type), count};
}

::inference::ModelConfig Config(std::vector<std::string> inputs, std::vector<std::string> outputs,
                                ::inference::DataType type = ::inference::TYPE_FP32) {
  ::inference::ModelConfig config;
  for (const auto& name : inputs) {
    auto* in = config.add_input();
    in->set_name(name);
    in->set_data_type(type);
    in->add_dims(4);
  }
  for (const auto& name : outputs) {
    auto* out = config.add_output();
    out->set_name(name);
    out->set_data_type(type);
    out->add_dims(4);
  }
  return config;
}

TEST(TorchIoBindingTest, BindsInputsByForwardArgumentNames) {
  auto binding =
      BindTorchIo(Config({"y", "x"}, {"sum", "diff"}),
                  Schema({{"x", "Tensor"}, {"y", "Tensor"}}, "Tuple[Tensor, Tensor]", 2));
  ASSERT_TRUE(binding.ok()) << binding.status();
  EXPECT_EQ(binding->argument_inputs, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(binding->outputs.size(), 2u);
  EXPECT_EQ(binding->outputs[0].index, 0u);  // no __N names: config order
  EXPECT_EQ(binding->outputs[1].index, 1u);
}

TEST(TorchIoBindingTest, BindsByTritonIndexConvention) {
  auto binding =
      BindTorchIo(Config({"INPUT__1", "INPUT__0"}, {"OUTPUT__1", "OUTPUT__0"}),
                  Schema({{"a", "Tensor"}, {"b", "Tensor"}}, "Tuple[Tensor, Tensor]", 2));
  ASSERT_TRUE(binding.ok()) << binding.status();
  EXPECT_EQ(binding->argument_inputs, (std::vector<std::string>{"INPUT__0", "INPUT__1"}));
  EXPECT_EQ(binding->outputs[0].name, "OUTPUT__1");
  EXPECT_EQ(binding->outputs[0].index, 1u);
  EXPECT_EQ(binding->outputs[1].index, 0u);
}

TEST(TorchIoBindingTest, UnfedOptionalArgumentGetsNone) {
  auto binding = BindTorchIo(Config({"x"}, {"OUTPUT__0"}),
                             Schema({{"x", "Tensor"}, {"mask", "Optional[Tensor]"}}, "Tensor", 1));
  ASSERT_TRUE(binding.ok()) << binding.status();
  EXPECT_EQ(binding->argument_inputs, (std::vector<std::string>{"x", ""}));
}

TEST(TorchIoBindingTest, RefusalsSayWhy) {
  struct Case {
    ::inference::ModelConfig config;
    ForwardSchema schema;
    std::string expected;
  };
  const Case cases[] = {
      {Config({"INPUT__0"}, {"OUTPUT__0"}), Schema({{"x", "Tensor"}}, "Dict[str, Tensor]", -1),
       "returns Dict[str, Tensor]"},
      {Config({"INPUT__0"}, {"OUTPUT__0"}),
       Schema({{"x", "Tensor"}}, "Tuple[Tensor, Tuple[Tensor, Tensor]]", -1), "Tuple of Tensors"},
      {Config({"wrong"}, {"OUTPUT__0"}), Schema({{"x", "Tensor"}}, "Tensor", 1),
       "input 'wrong' is neither an argument of forward(x: Tensor) -> Tensor"},
      {Config({"INPUT__0"}, {"OUTPUT__0"}), Schema({{"x", "Tensor"}, {"y", "Tensor"}}, "Tensor", 1),
       "no input in config.pbtxt feeds argument 'y'"},
      {Config({"INPUT__0"}, {"OUTPUT__0"}), Schema({{"x", "List[Tensor]"}}, "Tensor", 1),
       "is List[Tensor]"},
      {Config({"INPUT__0"}, {"OUTPUT__3"}), Schema({{"x", "Tensor"}}, "Tensor", 1),
       "output 'OUTPUT__3' is tensor 3"},
      {Config({"INPUT__0"}, {"OUTPUT__0"}, ::inference::TYPE_UINT32),
       Schema({{"x", "Tensor"}}, "Tensor", 1), "TYPE_UINT32, which libtorch has not"},
      {Config({"INPUT__0"}, {"OUTPUT__0"}, ::inference::TYPE_STRING),
       Schema({{"x", "Tensor"}}, "Tensor", 1), "TYPE_STRING, which libtorch has not"},
      {Config({}, {"OUTPUT__0"}), Schema({{"x", "Tensor"}}, "Tensor", 1),
       "config.pbtxt must list the model's inputs and outputs"},
  };
  for (const Case& c : cases) {
    auto binding = BindTorchIo(c.config, c.schema);
    ASSERT_FALSE(binding.ok()) << c.expected;
    EXPECT_EQ(binding.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(binding.status().message().find(c.expected), std::string::npos)
        << binding.status() << "\nexpected: " << c.expected;
  }
}

TEST(TorchIoBindingTest, EveryTypeLibtorchHasIsServed) {
  for (auto type : {core::DataType::kBool, core::DataType::kUint8, core::DataType::kInt8,
                    core::DataType::kInt16, core::DataType::kInt32, core::DataType::kInt64,
                    core::DataType::kFp16, core::DataType::kBf16, core::DataType::kFp32,
                    core::DataType::kFp64}) {
    EXPECT_TRUE(TorchHasType(type)) << core::DataTypeName(type);
  }
  for (auto type : {core::DataType::kUint16, core::DataType::kUint32, core::DataType::kUint64,
                    core::DataType::kBytes}) {
    EXPECT_FALSE(TorchHasType(type)) << core::DataTypeName(type);
  }
}

}  // namespace
}  // namespace inferd::backend::libtorch
