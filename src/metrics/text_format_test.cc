#include "metrics/text_format.h"

#include <gtest/gtest.h>

#include "metrics/histogram.h"
#include "testing/format_checker.h"

namespace inferd::metrics {
namespace {

TEST(TextFormatTest, WritesCountersWithEscapedLabelsAndHelp) {
  MetricFamily f = Family("nv_x", "Help with \\ and\nnewline", MetricType::kCounter);
  AddSample(f, {{"model", "a\"b\\c\nd"}, {"version", "1"}}, 3);
  EXPECT_EQ(WriteText({f}),
            "# HELP nv_x Help with \\\\ and\\nnewline\n"
            "# TYPE nv_x counter\n"
            "nv_x{model=\"a\\\"b\\\\c\\nd\",version=\"1\"} 3\n");
  auto parsed = ParseExposition(WriteText({f}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)[0].labels[0].second, "a\"b\\c\nd");
}

TEST(TextFormatTest, WritesCumulativeHistogramBuckets) {
  Histogram h({0.5, 2});
  for (double v : {0.1, 1.0, 1.5, 9.0}) h.Observe(v);
  MetricFamily f = Family("lat", "Latency", MetricType::kHistogram);
  AddHistogram(f, {{"model", "m"}}, h.Snapshot());
  EXPECT_EQ(WriteText({f}),
            "# HELP lat Latency\n# TYPE lat histogram\n"
            "lat_bucket{model=\"m\",le=\"0.5\"} 1\n"
            "lat_bucket{model=\"m\",le=\"2\"} 3\n"
            "lat_bucket{model=\"m\",le=\"+Inf\"} 4\n"
            "lat_sum{model=\"m\"} 11.6\n"
            "lat_count{model=\"m\"} 4\n");
  EXPECT_TRUE(ParseExposition(WriteText({f})).ok());
}

TEST(TextFormatTest, FormatsSpecialValuesAndSkipsEmptyFamilies) {
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatValue(0.0 / 0.0), "NaN");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(WriteText({Family("empty", "none", MetricType::kGauge)}), "");
}

}  // namespace
}  // namespace inferd::metrics
