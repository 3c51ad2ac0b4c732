#include "preprocess/ctc.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::preprocess {
namespace {

using ::testing::FloatNear;
using ::testing::HasSubstr;

OutputSpec CtcSpec(bool space_last) {
  OutputSpec spec;
  spec.decode = OutputDecode::kCtc;
  spec.softmax = false;
  spec.ctc_space_last = space_last;
  return spec;
}

// One row per time step: probability `p` on class `k`, the rest spread evenly.
std::vector<float> Steps(const std::vector<std::pair<int, float>>& best, int classes) {
  std::vector<float> out;
  for (const auto& [k, p] : best) {
    for (int c = 0; c < classes; ++c) out.push_back(c == k ? p : (1 - p) / (classes - 1));
  }
  return out;
}

TEST(CtcTest, CollapsesRepeatsDropsBlanksAndMapsThroughTheAlphabet) {
  const Labels alphabet = {"a", "b", "é"};  // classes: blank, a, b, é, space
  // a a _ a b b _ é space b: "aa" collapses, the blank separates the second a.
  const auto scores = Steps({{1, .9f},
                             {1, .8f},
                             {0, .99f},
                             {1, .7f},
                             {2, .6f},
                             {2, .5f},
                             {0, .9f},
                             {3, .9f},
                             {4, .4f},
                             {2, .8f}},
                            5);
  auto text = CtcGreedyDecode(scores, 10, 5, alphabet, CtcSpec(true));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "aabé b");
  // Kept steps: .9 (a), .7 (a), .6 (b), .9 (é), .4 (space), .8 (b).
  EXPECT_THAT(text->confidence, FloatNear((.9f + .7f + .6f + .9f + .4f + .8f) / 6, 1e-6));
}

TEST(CtcTest, TrimSpacesDropsTheMarginsSpacesAndTheirConfidence) {
  OutputSpec spec = CtcSpec(true);
  spec.ctc_trim_spaces = true;
  // space a space space(repeat) _ b space: " a b " -> "a b"
  const auto scores =
      Steps({{3, .2f}, {1, .9f}, {3, .8f}, {3, .8f}, {0, .9f}, {2, .7f}, {3, .1f}}, 4);
  auto text = CtcGreedyDecode(scores, 7, 4, {"a", "b"}, spec);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "a b");
  EXPECT_THAT(text->confidence, FloatNear((.9f + .8f + .7f) / 3, 1e-6));
  // Only spaces: no text.
  text = CtcGreedyDecode(Steps({{3, .9f}}, 4), 1, 4, {"a", "b"}, spec);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "");
  EXPECT_EQ(text->confidence, 0.f);
}

TEST(CtcTest, OnlyBlanksIsEmptyTextWithZeroConfidence) {
  const auto scores = Steps({{0, .9f}, {0, .9f}}, 3);
  auto text = CtcGreedyDecode(scores, 2, 3, {"x", "y"}, CtcSpec(false));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "");
  EXPECT_EQ(text->confidence, 0.f);
}

TEST(CtcTest, BlankElsewhereShiftsOnlyTheClassesAboveIt) {
  OutputSpec spec = CtcSpec(false);
  spec.ctc_blank = 2;  // classes: x, y, blank
  const auto scores = Steps({{1, .9f}, {2, .9f}, {0, .9f}}, 3);
  auto text = CtcGreedyDecode(scores, 3, 3, {"x", "y"}, spec);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "yx");
}

TEST(CtcTest, SoftmaxOfLogitsGivesTheConfidence) {
  OutputSpec spec = CtcSpec(false);
  spec.softmax = true;
  const std::vector<float> logits = {0.f, 0.f, 0.f, 3.f};  // one step, 4 classes: blank, a, b, c
  auto text = CtcGreedyDecode(logits, 1, 4, {"a", "b", "c"}, spec);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "c");
  EXPECT_THAT(text->confidence, FloatNear(std::exp(3.f) / (3 + std::exp(3.f)), 1e-6));
}

TEST(CtcTest, AnAlphabetOfTheWrongSizeIsAServerError) {
  const auto scores = Steps({{1, .9f}}, 6);
  auto text = CtcGreedyDecode(scores, 1, 6, {"a", "b", "c"}, CtcSpec(true));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(text.status().message(), HasSubstr("6 classes"));
  EXPECT_THAT(text.status().message(), HasSubstr("gives 5"));
}

TEST(CtcTest, ShorterScoresThanTheShapeAreRefused) {
  const std::vector<float> scores(7, 0.f);
  auto text = CtcGreedyDecode(scores, 2, 4, {"a", "b", "c"}, CtcSpec(false));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInternal);
}

TEST(CtcTest, NanScoresNeverWin) {
  const std::vector<float> scores = {NAN, .2f, .7f};
  auto text = CtcGreedyDecode(scores, 1, 3, {"a", "b"}, CtcSpec(false));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->text, "b");
}

}  // namespace
}  // namespace inferd::preprocess
