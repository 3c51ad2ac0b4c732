#include "tools/output_compare.h"

#include <gtest/gtest.h>

#include <cstring>

namespace inferd::tools {
namespace {

client::InferResult Result(std::vector<float> values, std::vector<int64_t> shape) {
  std::string raw(values.size() * 4, '\0');
  std::memcpy(raw.data(), values.data(), raw.size());
  return client::InferResult("m", "1", "", {{"P", "FP32", std::move(shape), std::move(raw)}});
}

TEST(OutputCompareTest, MaxAbsDiffAndTop1Agreement) {
  OutputComparer comparer;
  comparer.Add(Result({0.1f, 0.9f, 0.5f, 0.2f}, {2, 2}), Result({0.2f, 0.8f, 0.1f, 0.7f}, {2, 2}));
  auto results = comparer.Results();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_NEAR(results[0].max_abs_diff, 0.5, 1e-6);
  EXPECT_TRUE(results[0].classification);
  EXPECT_EQ(results[0].rows, 2);
  EXPECT_EQ(results[0].agreed, 1);  // row 0 agrees (class 1), row 1 does not
}

TEST(OutputCompareTest, IdenticalAndMismatchedOutputs) {
  OutputComparer same;
  same.Add(Result({1, 2, 3}, {3}), Result({1, 2, 3}, {3}));
  EXPECT_EQ(same.Results()[0].max_abs_diff, 0);
  EXPECT_TRUE(same.Results()[0].mismatch.empty());
  OutputComparer shape;
  shape.Add(Result({1, 2, 3, 4}, {4}), Result({1, 2, 3, 4}, {2, 2}));
  EXPECT_FALSE(shape.Results()[0].mismatch.empty());
  OutputComparer single_column;
  single_column.Add(Result({1}, {1, 1}), Result({2}, {1, 1}));
  EXPECT_FALSE(single_column.Results()[0].classification);
}

}  // namespace
}  // namespace inferd::tools
