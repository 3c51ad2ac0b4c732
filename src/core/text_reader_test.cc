#include "core/text_reader.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace inferd::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSignature[] = R"(
    input { name: "image" data_type: TYPE_UINT8 dims: [ -1 ] }
    output { name: "text" data_type: TYPE_STRING dims: [ -1 ] }
    output { name: "boxes" data_type: TYPE_FP32 dims: [ -1, 4, 2 ] })";

::inference::ModelConfig ReaderConfig(const std::string& rest,
                                      const std::string& signature = kSignature) {
  ::inference::ModelConfig config;
  const std::string text = R"(name: "page" platform: "text_reader" )" + signature + rest;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
  return config;
}

std::string Param(const std::string& key, const std::string& value) {
  return " parameters { key: \"" + key + "\" value { string_value: \"" + value + "\" } }";
}

TEST(TextReaderTest, ReadsTheDeclaredModelsAndSettings) {
  const auto config = ReaderConfig(
      Param("detector", "det") + Param("classifier", "cls") + Param("recognizer", "rec") +
      Param("classifier_label", "upside") + Param("classifier_threshold", "0.75") +
      Param("crop_padding", "0.3") + Param("max_lines", "12"));
  EXPECT_TRUE(IsTextReader(config));
  auto spec = ParseTextReaderSpec(config);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->detector, "det");
  EXPECT_EQ(spec->classifier, "cls");
  EXPECT_EQ(spec->recognizer, "rec");
  EXPECT_EQ(spec->classifier_label, "upside");
  EXPECT_FLOAT_EQ(spec->classifier_threshold, 0.75f);
  EXPECT_FLOAT_EQ(spec->crop_padding, 0.3f);
  EXPECT_EQ(spec->max_lines, 12);
  EXPECT_THAT(TextReaderModels(*spec), ElementsAre("det", "cls", "rec"));
}

TEST(TextReaderTest, ClassifierIsOptionalAndDefaultsArePaddleOcrs) {
  auto spec =
      ParseTextReaderSpec(ReaderConfig(Param("detector", "det") + Param("recognizer", "rec")));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_TRUE(spec->classifier.empty());
  EXPECT_EQ(spec->classifier_label, "180");
  EXPECT_FLOAT_EQ(spec->classifier_threshold, 0.9f);
  EXPECT_EQ(spec->max_lines, 0);
  EXPECT_FLOAT_EQ(spec->crop_padding, 0.f);
  EXPECT_THAT(TextReaderModels(*spec), ElementsAre("det", "rec"));
}

TEST(TextReaderTest, OtherPlatformsAreNotReaders) {
  ::inference::ModelConfig config;
  config.set_platform("ensemble");
  EXPECT_FALSE(IsTextReader(config));
}

TEST(TextReaderTest, RefusesBadDeclarations) {
  const std::string models = Param("detector", "det") + Param("recognizer", "rec");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {Param("recognizer", "rec"), "parameter 'detector' is required"},
      {Param("detector", "det"), "parameter 'recognizer' is required"},
      {models + Param("detecter", "x"), "unknown parameter 'detecter'"},
      {models + Param("classifier", ""), "parameter 'classifier' must name a model"},
      {models + Param("classifier_threshold", "0.5"), "need a 'classifier'"},
      {models + Param("classifier", "cls") + Param("classifier_threshold", "1.5"),
       "'classifier_threshold' must be a number in [0, 1]"},
      {models + Param("max_lines", "-1"), "'max_lines' must be an integer"},
      {models + Param("crop_padding", "3"), "'crop_padding' must be a number in [0, 2]"},
      {models + Param("max_lines", "many"), "'max_lines' must be an integer"},
      {Param("detector", "page") + Param("recognizer", "rec"), "cannot run itself"},
      {models + " max_batch_size: 4", "max_batch_size must be 0"},
      {models + " dynamic_batching { }", "takes no ensemble_scheduling, dynamic_batching"},
  };
  for (const auto& [rest, message] : cases) {
    auto spec = ParseTextReaderSpec(ReaderConfig(rest));
    ASSERT_FALSE(spec.ok()) << rest;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument) << rest;
    EXPECT_THAT(spec.status().message(), HasSubstr(message)) << rest;
    EXPECT_THAT(spec.status().message(), HasSubstr("text reader 'page'")) << rest;
  }
}

TEST(TextReaderTest, RefusesInputsAndOutputsItCannotFill) {
  const std::string models = Param("detector", "det") + Param("recognizer", "rec");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"(input { name: "image" data_type: TYPE_FP32 dims: [ -1 ] }
          output { name: "text" data_type: TYPE_STRING dims: [ -1 ] })",
       "one input of data_type TYPE_UINT8"},
      {R"(input { name: "image" data_type: TYPE_UINT8 dims: [ -1 ] })", "must declare its outputs"},
      {R"(input { name: "image" data_type: TYPE_UINT8 dims: [ -1 ] }
          output { name: "words" data_type: TYPE_STRING dims: [ -1 ] })",
       "unknown output 'words'"},
      {R"(input { name: "image" data_type: TYPE_UINT8 dims: [ -1 ] }
          output { name: "boxes" data_type: TYPE_FP32 dims: [ -1, 4 ] })",
       "output \"boxes\" must be TYPE_FP32 with dims [ -1, 4, 2 ]"},
  };
  for (const auto& [signature, message] : cases) {
    auto spec = ParseTextReaderSpec(ReaderConfig(models, signature));
    ASSERT_FALSE(spec.ok()) << signature;
    EXPECT_THAT(spec.status().message(), HasSubstr(message)) << signature;
  }
}

}  // namespace
}  // namespace inferd::core
