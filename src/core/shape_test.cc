#include "core/shape.h"

#include <gtest/gtest.h>

namespace inferd::core {
namespace {

TEST(ShapeTest, ElementCount) {
  EXPECT_EQ(*ElementCount({2, 3, 4}), 24);
  EXPECT_EQ(*ElementCount({}), 1);
  EXPECT_EQ(*ElementCount({5, 0}), 0);
}

TEST(ShapeTest, RejectsNegativeAndOverflow) {
  EXPECT_EQ(ElementCount({2, -1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ElementCount({INT64_MAX, 2}).ok());
  EXPECT_FALSE(ElementCount({1 << 20, 1 << 20}, 1 << 30).ok());
}

TEST(ShapeTest, Matches) {
  EXPECT_TRUE(ShapeMatches({-1, 16}, {3, 16}));
  EXPECT_FALSE(ShapeMatches({-1, 16}, {3, 15}));
  EXPECT_FALSE(ShapeMatches({16}, {1, 16}));
  EXPECT_EQ(ShapeToString({1, -1}), "[1,-1]");
}

}  // namespace
}  // namespace inferd::core
