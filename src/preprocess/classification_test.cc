#include "preprocess/classification.h"

#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::preprocess {
namespace {

using ::testing::ElementsAre;

core::Tensor Fp32(std::vector<float> values, core::Shape shape) {
  auto owned = core::MakeOwnedTensor("OUT", core::DataType::kFp32, std::move(shape),
                                     values.size() * sizeof(float));
  std::memcpy(owned.writable.data(), values.data(), values.size() * sizeof(float));
  return owned.tensor;
}

std::vector<std::string> Strings(const core::Tensor& t) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < t.data.size()) {
    uint32_t length = 0;
    std::memcpy(&length, t.data.data() + pos, 4);
    out.emplace_back(reinterpret_cast<const char*>(t.data.data() + pos + 4), length);
    pos += 4 + length;
  }
  return out;
}

TEST(ClassificationTest, TritonStringsPerBatchRow) {
  const Labels labels = {"cat", "dog", "fish"};
  auto t = Classify(Fp32({0.1f, 0.7f, 0.2f, 3.f, 1.f, 2.f}, {2, 3}), 2, labels);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->dtype, core::DataType::kBytes);
  EXPECT_THAT(t->shape, ElementsAre(2, 2));
  EXPECT_THAT(Strings(*t), ElementsAre("0.700000:1:dog", "0.200000:2:fish", "3.000000:0:cat",
                                       "2.000000:2:fish"));
}

TEST(ClassificationTest, CountIsCappedAndLabelsAreOptional) {
  auto t = Classify(Fp32({1.f, 2.f}, {2}), 5, {});
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->shape, ElementsAre(2));
  EXPECT_THAT(Strings(*t), ElementsAre("2.000000:1", "1.000000:0"));
}

TEST(ClassificationTest, LabelsSplitOnLines) {
  EXPECT_THAT(ParseLabels("a\r\nb\nc\n"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(ParseLabels("only"), ElementsAre("only"));
  EXPECT_TRUE(ParseLabels("").empty());
}

TEST(ClassificationTest, BytesCannotBeClassified) {
  core::Tensor bytes;
  bytes.dtype = core::DataType::kBytes;
  EXPECT_EQ(ScoresOf(bytes).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace inferd::preprocess
