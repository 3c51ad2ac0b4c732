#include "testing/format_checker.h"

#include <gtest/gtest.h>

#include <string>

namespace inferd::metrics {
namespace {

constexpr char kGood[] =
    "# HELP a_total A counter.\n# TYPE a_total counter\n"
    "a_total{x=\"1\"} 3\na_total{x=\"2\"} 4 1700000000000\n"
    "# a free comment\n"
    "# HELP h A histogram.\n# TYPE h histogram\n"
    "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3.5\nh_count 2\n"
    "# HELP g A gauge.\n# TYPE g gauge\ng -1.5e3\ng{y=\"\"} NaN\n";

TEST(FormatCheckerTest, AcceptsWellFormedTextAndReturnsSamples) {
  auto parsed = ParseExposition(kGood);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 8u);
  EXPECT_EQ(FindValue(*parsed, "a_total", {{"x", "2"}}), 4);
  EXPECT_EQ(SumValues(*parsed, "a_total", {}), 7);
  EXPECT_EQ(FindValue(*parsed, "h_count", {}), 2);
}

void ExpectRejected(const std::string& text, const std::string& why) {
  auto parsed = ParseExposition(text);
  EXPECT_FALSE(parsed.ok()) << "accepted: " << why << "\n" << text;
}

TEST(FormatCheckerTest, RejectsEveryBrokenRule) {
  const std::string head = "# HELP m M.\n# TYPE m counter\n";
  ExpectRejected(head + "m 1", "no final newline");
  ExpectRejected(head + "m 1\n\n", "blank line");
  ExpectRejected(head + "m 1 \n", "trailing space");
  ExpectRejected("m 1\n", "sample without HELP/TYPE");
  ExpectRejected("# TYPE m counter\nm 1\n", "no HELP");
  ExpectRejected(head + "m -1\n", "negative counter");
  ExpectRejected(head + "m abc\n", "bad value");
  ExpectRejected(head + "m 0x10\n", "hex value");
  ExpectRejected(head + "m{a=\"x\"} 1\nm{a=\"x\"} 2\n", "duplicate sample");
  ExpectRejected(head + "m{a=\"x\",a=\"y\"} 1\n", "duplicate label");
  ExpectRejected(head + "m{__a=\"x\"} 1\n", "reserved label");
  ExpectRejected(head + "m{1a=\"x\"} 1\n", "bad label name");
  ExpectRejected(head + "m{a=\"\\t\"} 1\n", "bad escape");
  ExpectRejected(head + "m{a=\"x} 1\n", "unterminated value");
  ExpectRejected(head + "m{a=x} 1\n", "unquoted value");
  ExpectRejected("# HELP 1m M.\n# TYPE 1m counter\n1m 1\n", "bad metric name");
  ExpectRejected("# HELP m M.\n# TYPE m counter\n# TYPE m counter\nm 1\n", "second TYPE");
  ExpectRejected("# HELP m M \\t.\n# TYPE m counter\nm 1\n", "bad HELP escape");
  ExpectRejected("# HELP m M.\n# TYPE m widget\nm 1\n", "unknown type");
  ExpectRejected(head + "m 1\n# HELP n N.\n# TYPE n gauge\nn 1\nm{b=\"1\"} 2\n",
                 "family not contiguous");
  ExpectRejected(head + "m 1\n# HELP m again\n", "HELP after samples");
  ExpectRejected(head + "m 1 12x\n", "bad timestamp");
}

TEST(FormatCheckerTest, RejectsBrokenHistograms) {
  const std::string head = "# HELP h H.\n# TYPE h histogram\n";
  ExpectRejected(head + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
                 "not cumulative");
  ExpectRejected(head +
                     "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n"
                     "h_sum 1\nh_count 1\n",
                 "le not ascending");
  ExpectRejected(head + "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "no +Inf bucket");
  ExpectRejected(head + "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n", "+Inf != count");
  ExpectRejected(head + "h_bucket{le=\"+Inf\"} 1\nh_count 1\n", "no sum");
  ExpectRejected(head + "h_bucket{le=\"+Inf\"} 1\nh_sum 1\n", "no count");
  ExpectRejected(head + "h_bucket 1\nh_sum 1\nh_count 1\n", "bucket without le");
  ExpectRejected(head + "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\nh_other 1\n",
                 "foreign sample in a histogram");
  EXPECT_TRUE(ParseExposition(head + "h_bucket{a=\"1\",le=\"+Inf\"} 1\nh_sum{a=\"1\"} 1\n"
                                     "h_count{a=\"1\"} 1\nh_bucket{a=\"2\",le=\"+Inf\"} 0\n"
                                     "h_sum{a=\"2\"} 0\nh_count{a=\"2\"} 0\n")
                  .ok());
}

}  // namespace
}  // namespace inferd::metrics
