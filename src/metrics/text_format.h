// Renders metric families in the Prometheus text exposition format 0.0.4
// (Content-Type: text/plain; version=0.0.4): per family a "# HELP" and a "# TYPE" line, then
// its samples; label values escaped (\\, \", \n), HELP text escaped (\\, \n); histograms as
// cumulative `_bucket{le=...}` series ending in le="+Inf", then `_sum` and `_count`.
// Families without samples are skipped. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "metrics/metric_family.h"

namespace inferd::metrics {

inline constexpr char kTextContentType[] = "text/plain; version=0.0.4; charset=utf-8";

std::string WriteText(const std::vector<MetricFamily>& families);
// A sample value as the format spells it: integers without a fraction, "+Inf", "-Inf", "NaN".
std::string FormatValue(double value);

}  // namespace inferd::metrics
