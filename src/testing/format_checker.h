// A strict parser and checker for the Prometheus text exposition format 0.0.4, used by tests to
// hold the /metrics output to the format rules (it is stricter than Prometheus' own parser):
//  - every line ends in '\n'; no blank lines, no trailing whitespace, no '\r';
//  - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and do not
//    start with "__"; label values are quoted and use only the escapes \\ \" \n;
//    HELP text only \\ and \n;
//  - every family has exactly one HELP and one TYPE line, both before its first sample; its
//    lines are contiguous (a family never reappears after another began);
//  - sample values are floats (+Inf, -Inf, NaN allowed; no hex); an optional integer timestamp;
//    counters are >= 0; no two samples share a name and label set;
//  - histograms: per label set, `_bucket` lines with ascending `le`, cumulative (non-decreasing)
//    counts, the last le="+Inf" and equal to `_count`; `_sum` and `_count` present; no other
//    sample names in the family.
// Thread-safe (pure functions).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "metrics/metric_family.h"

namespace inferd::metrics {

struct ParsedSample {
  std::string name;  // as written, e.g. "x_bucket"
  Labels labels;     // in written order
  double value = 0;
};

// Checks `text` and returns its samples; InvalidArgument names the line and the broken rule.
StatusOr<std::vector<ParsedSample>> ParseExposition(std::string_view text);

// Finds the sample named `name` whose labels include every pair of `labels` (order free).
// nullopt when none; the first when several match.
std::optional<double> FindValue(const std::vector<ParsedSample>& samples, std::string_view name,
                                const Labels& labels);
// Sum of all samples named `name` that include `labels`.
double SumValues(const std::vector<ParsedSample>& samples, std::string_view name,
                 const Labels& labels);

}  // namespace inferd::metrics
