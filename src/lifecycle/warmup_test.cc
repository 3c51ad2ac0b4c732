#include "lifecycle/warmup.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "google/protobuf/text_format.h"
#include "testing/fake_backend.h"

namespace inferd::lifecycle {
namespace {

::inference::ModelConfig Config(const std::string& text) {
  ::inference::ModelConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
  return config;
}

constexpr char kModel[] = R"(
  name: "m" max_batch_size: 8
  input { name: "IN" data_type: TYPE_FP32 dims: [ 4 ] }
  output { name: "OUT" data_type: TYPE_FP32 dims: [ 4 ] })";

TEST(Warmup, RunsEachSampleCountTimesOnEveryInstanceWithTheBatchSize) {
  auto config = Config(std::string(kModel) + R"(
    model_warmup { name: "zeros" batch_size: 3 count: 2
                   inputs { key: "IN" value { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } }
    model_warmup { name: "random"
                   inputs { key: "IN" value { data_type: TYPE_FP32 dims: [ 4 ] random_data: true } } })");
  std::vector<std::unique_ptr<backend::Instance>> instances;
  instances.push_back(std::make_unique<backend::testing::FakeInstance>());
  instances.push_back(std::make_unique<backend::testing::FakeInstance>());
  ASSERT_TRUE(RunWarmup(config, "/nonexistent", instances).ok());
  for (const auto& instance : instances) {
    auto& fake = static_cast<backend::testing::FakeInstance&>(*instance);
    EXPECT_EQ(fake.executions(), 3);
    EXPECT_EQ(fake.batch_sizes(), (std::vector<int64_t>{3, 3, 1}));
  }
}

TEST(Warmup, ReadsInputFilesFromTheWarmupFolderAndChecksTheirSize) {
  const auto dir = std::filesystem::temp_directory_path() / "inferd_warmup_test";
  std::filesystem::create_directories(dir / "warmup");
  std::ofstream(dir / "warmup" / "in.bin", std::ios::binary) << std::string(16, '\0');
  std::ofstream(dir / "warmup" / "short.bin", std::ios::binary) << std::string(5, '\0');
  std::vector<std::unique_ptr<backend::Instance>> instances;
  instances.push_back(std::make_unique<backend::testing::FakeInstance>());
  auto sample = [&](const char* file) {
    return Config(std::string(kModel) + R"(model_warmup { name: "file" batch_size: 1
        inputs { key: "IN" value { data_type: TYPE_FP32 dims: [ 4 ] input_data_file: ")" +
                  file + R"(" } } })");
  };
  EXPECT_TRUE(RunWarmup(sample("in.bin"), dir, instances).ok());
  const Status short_file = RunWarmup(sample("short.bin"), dir, instances);
  EXPECT_EQ(short_file.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(short_file.message().find("holds 5 bytes"), std::string::npos) << short_file;
  EXPECT_FALSE(RunWarmup(sample("missing.bin"), dir, instances).ok());
  std::filesystem::remove_all(dir);
}

TEST(Warmup, MissingInputAndFailingRunAreErrorsNamingTheSample) {
  auto config = Config(std::string(kModel) + R"(model_warmup { name: "empty" batch_size: 1 })");
  std::vector<std::unique_ptr<backend::Instance>> instances;
  instances.push_back(std::make_unique<backend::testing::FakeInstance>());
  const Status missing = RunWarmup(config, "/nonexistent", instances);
  EXPECT_NE(missing.message().find("'empty' has no data for input 'IN'"), std::string::npos)
      << missing;

  auto ok_sample = Config(std::string(kModel) + R"(model_warmup { name: "w" batch_size: 1
      inputs { key: "IN" value { data_type: TYPE_FP32 dims: [ 4 ] zero_data: true } } })");
  std::vector<std::unique_ptr<backend::Instance>> failing;
  failing.push_back(
      std::make_unique<backend::testing::FakeInstance>(nullptr, absl::InternalError("boom")));
  const Status failed = RunWarmup(ok_sample, "/nonexistent", failing);
  EXPECT_NE(failed.message().find("warmup sample 'w' failed: boom"), std::string::npos) << failed;
}

}  // namespace
}  // namespace inferd::lifecycle
