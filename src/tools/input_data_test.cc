#include "tools/input_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace inferd::tools {
namespace {

client::ModelMetadata Model() {
  client::ModelMetadata m;
  m.name = "m";
  m.inputs = {{"A", "FP32", {-1, 3, -1}}, {"B", "INT32", {-1, 2}}};
  return m;
}

TEST(InputDataTest, ParsesShapeFlag) {
  auto parsed = ParseShapeFlag("INPUT:3,224,224");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->first, "INPUT");
  EXPECT_EQ(parsed->second, (std::vector<int64_t>{3, 224, 224}));
  EXPECT_FALSE(ParseShapeFlag("INPUT").ok());
  EXPECT_FALSE(ParseShapeFlag("INPUT:3,x").ok());
}

TEST(InputDataTest, ResolvesBatchAndVariableDims) {
  EXPECT_FALSE(ResolveInputs(Model(), 8, 2, {}).ok());  // A's variable dim is unknown
  auto specs = ResolveInputs(Model(), 8, 2, {{"A", {3, 5}}});
  ASSERT_TRUE(specs.ok()) << specs.status();
  EXPECT_EQ((*specs)[0].shape, (std::vector<int64_t>{2, 3, 5}));
  EXPECT_EQ((*specs)[1].shape, (std::vector<int64_t>{2, 2}));
  EXPECT_FALSE(ResolveInputs(Model(), 8, 9, {{"A", {3, 5}}}).ok());  // batch > max
  EXPECT_FALSE(ResolveInputs(Model(), 0, 2, {}).ok());               // no batching
  EXPECT_FALSE(ResolveInputs(Model(), 8, 1, {{"A", {3}}}).ok());     // wrong rank
}

TEST(InputDataTest, RandomSamplesMatchTheirSpecs) {
  std::vector<InputSpec> specs{{"A", "FP32", {1, 4}}, {"S", "BYTES", {2}}, {"H", "FP16", {3}}};
  auto samples = RandomSamples(specs, 3, 7);
  ASSERT_EQ(samples.size(), 3u);
  for (const auto& sample : samples) {
    for (const auto& input : sample) EXPECT_TRUE(input.Validate().ok()) << input.name();
  }
  EXPECT_NE(samples[0][0].raw(), samples[1][0].raw());
  EXPECT_EQ(RandomSamples(specs, 1, 7)[0][0].raw(), samples[0][0].raw());  // seeded
}

TEST(InputDataTest, LoadsJsonAndRawFiles) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto json = dir / "inferd_input_data_test.json";
  std::ofstream(json) << R"({"data": [{"A": [1, 2, 3, 4], "B": {"content": [[5], [6]],)"
                         R"( "shape": [2, 1]}}, {"A": [0, 0, 0, 0], "B": [1, 2]}]})";
  std::vector<InputSpec> specs{{"A", "FP32", {1, 4}}, {"B", "INT32", {1, 2}}};
  auto samples = LoadSamples(json.string(), specs);
  ASSERT_TRUE(samples.ok()) << samples.status();
  ASSERT_EQ(samples->size(), 2u);
  EXPECT_EQ((*samples)[0][1].shape(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ((*samples)[0][0].raw().size(), 16u);
  std::ofstream(json) << R"({"data": [{"A": [1, 2, 3]}]})";
  EXPECT_FALSE(LoadSamples(json.string(), specs).ok());  // no B, and A is short

  const auto raw = dir / "inferd_input_data_test.bin";
  std::ofstream(raw, std::ios::binary) << std::string(16, '\0');
  EXPECT_TRUE(LoadSamples(raw.string(), {specs[0]}).ok());
  EXPECT_FALSE(LoadSamples(raw.string(), specs).ok());  // two inputs need JSON
  std::ofstream(raw, std::ios::binary) << std::string(15, '\0');
  EXPECT_FALSE(LoadSamples(raw.string(), {specs[0]}).ok());
  EXPECT_FALSE(LoadSamples((dir / "no_such_file").string(), specs).ok());
  std::filesystem::remove(json);
  std::filesystem::remove(raw);
}

TEST(InputDataTest, RecognisesImagesByMagicBytes) {
  EXPECT_TRUE(IsImage(std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10)));
  EXPECT_TRUE(IsImage(std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16)));
  EXPECT_FALSE(IsImage(std::string("\xFF\xD8", 2)));  // too short to be a JPEG
  EXPECT_FALSE(IsImage("\x89PNG\r\n"));
  EXPECT_FALSE(IsImage(R"({"data": []})"));
  EXPECT_FALSE(IsImage(std::string(16, '\0')));  // raw tensor bytes
  EXPECT_FALSE(IsImage(""));
}

}  // namespace
}  // namespace inferd::tools
