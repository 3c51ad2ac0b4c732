#include "testing/format_checker.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::metrics {
namespace {

bool IsNameStart(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}
bool IsNameChar(char c, bool colon) { return IsNameStart(c, colon) || (c >= '0' && c <= '9'); }

// Reads a name at the front of `s` (metric names allow ':'), advancing `s`.
std::string ReadName(std::string_view& s, bool colon) {
  size_t n = 0;
  if (!s.empty() && IsNameStart(s[0], colon)) {
    n = 1;
    while (n < s.size() && IsNameChar(s[n], colon)) ++n;
  }
  std::string name(s.substr(0, n));
  s.remove_prefix(n);
  return name;
}

std::optional<double> ParseFloat(std::string_view text) {
  if (text == "+Inf" || text == "Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  if (text == "NaN") return std::nan("");
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(copy.c_str(), &end);
  if (errno != 0 || end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

// Parses `{a="x",b="y"}` at the front of `s`.
StatusOr<Labels> ReadLabels(std::string_view& s) {
  Labels labels;
  if (s.empty() || s[0] != '{') return labels;
  s.remove_prefix(1);
  while (true) {
    if (!s.empty() && s[0] == '}' && labels.empty()) break;
    std::string name = ReadName(s, /*colon=*/false);
    if (name.empty()) return absl::InvalidArgumentError("bad label name");
    if (name.rfind("__", 0) == 0) return absl::InvalidArgumentError("reserved label name " + name);
    for (const auto& l : labels) {
      if (l.first == name) return absl::InvalidArgumentError("duplicate label " + name);
    }
    if (s.size() < 2 || s[0] != '=' || s[1] != '"') {
      return absl::InvalidArgumentError("label " + name + " is not followed by =\"");
    }
    s.remove_prefix(2);
    std::string value;
    while (true) {
      if (s.empty()) return absl::InvalidArgumentError("unterminated label value");
      const char c = s[0];
      s.remove_prefix(1);
      if (c == '"') break;
      if (c == '\n') return absl::InvalidArgumentError("raw newline in a label value");
      if (c != '\\') {
        value.push_back(c);
        continue;
      }
      if (s.empty()) return absl::InvalidArgumentError("dangling escape in a label value");
      const char e = s[0];
      s.remove_prefix(1);
      if (e == 'n') {
        value.push_back('\n');
      } else if (e == '\\' || e == '"') {
        value.push_back(e);
      } else {
        return absl::InvalidArgumentError(absl::StrCat("invalid escape \\", std::string(1, e)));
      }
    }
    labels.emplace_back(std::move(name), std::move(value));
    if (!s.empty() && s[0] == ',') {
      s.remove_prefix(1);
      continue;
    }
    break;
  }
  if (s.empty() || s[0] != '}') return absl::InvalidArgumentError("label set not closed by }");
  s.remove_prefix(1);
  return labels;
}

std::string LabelKey(const Labels& labels, bool drop_le) {
  Labels sorted;
  for (const auto& l : labels) {
    if (!(drop_le && l.first == "le")) sorted.push_back(l);
  }
  std::sort(sorted.begin(), sorted.end());
  std::string key;
  for (const auto& [n, v] : sorted) absl::StrAppend(&key, n, "=", v, "\x1f");
  return key;
}

struct HistogramSeries {
  std::vector<std::pair<double, double>> buckets;  // (le, cumulative count)
  std::optional<double> sum, count;
};

struct FamilyState {
  bool help = false;
  std::string type;  // empty = no TYPE line yet
  bool samples = false;
  std::map<std::string, HistogramSeries> series;
};

class Checker {
 public:
  Status Line(std::string_view line);
  Status Finish();
  std::vector<ParsedSample> samples;

 private:
  Status Comment(std::string_view line);
  Status SampleLine(std::string_view line);
  Status Enter(const std::string& family);
  Status CheckHistogram(const std::string& name, const FamilyState& state) const;
  std::string FamilyOf(const std::string& sample_name) const;

  std::map<std::string, FamilyState> families_;
  std::string current_;
  std::set<std::string> closed_;
  std::set<std::string> seen_samples_;
};

Status Checker::Enter(const std::string& family) {
  if (family == current_) return absl::OkStatus();
  if (!current_.empty()) {
    RETURN_IF_ERROR(CheckHistogram(current_, families_[current_]));
    closed_.insert(current_);
  }
  if (closed_.count(family) != 0) {
    return absl::InvalidArgumentError("family " + family + " reappears after another family");
  }
  current_ = family;
  return absl::OkStatus();
}

std::string Checker::FamilyOf(const std::string& name) const {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string_view s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = families_.find(base);
      if (it != families_.end() && it->second.type == "histogram") return base;
    }
  }
  return name;
}

Status Checker::Comment(std::string_view line) {
  std::string_view rest = line.substr(1);
  if (rest.rfind(" HELP ", 0) != 0 && rest.rfind(" TYPE ", 0) != 0) return absl::OkStatus();
  const bool help = rest[1] == 'H';
  rest.remove_prefix(6);
  const std::string name = ReadName(rest, /*colon=*/true);
  if (name.empty()) return absl::InvalidArgumentError("bad metric name after # HELP/TYPE");
  if (rest.empty() || rest[0] != ' ') return absl::InvalidArgumentError("no space after name");
  rest.remove_prefix(1);
  RETURN_IF_ERROR(Enter(name));
  FamilyState& state = families_[name];
  if (state.samples) return absl::InvalidArgumentError("HELP/TYPE after the family's samples");
  if (help) {
    if (state.help) return absl::InvalidArgumentError("second HELP line for " + name);
    state.help = true;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == '\\' &&
          (i + 1 >= rest.size() || (rest[i + 1] != '\\' && rest[i + 1] != 'n'))) {
        return absl::InvalidArgumentError("invalid escape in HELP text");
      }
      if (rest[i] == '\\') ++i;
    }
    return absl::OkStatus();
  }
  if (!state.type.empty()) return absl::InvalidArgumentError("second TYPE line for " + name);
  if (rest != "counter" && rest != "gauge" && rest != "histogram" && rest != "summary" &&
      rest != "untyped") {
    return absl::InvalidArgumentError("unknown TYPE " + std::string(rest));
  }
  state.type = std::string(rest);
  return absl::OkStatus();
}

Status Checker::SampleLine(std::string_view line) {
  ParsedSample sample;
  sample.name = ReadName(line, /*colon=*/true);
  if (sample.name.empty()) return absl::InvalidArgumentError("bad metric name");
  ASSIGN_OR_RETURN(sample.labels, ReadLabels(line));
  if (line.empty() || line[0] != ' ') return absl::InvalidArgumentError("no space before value");
  line.remove_prefix(1);
  const size_t space = line.find(' ');
  auto value = ParseFloat(line.substr(0, space));
  if (!value) return absl::InvalidArgumentError("bad sample value");
  if (space != std::string_view::npos) {
    const std::string_view ts = line.substr(space + 1);
    if (ts.empty() || ts.find_first_not_of("-0123456789") != std::string_view::npos) {
      return absl::InvalidArgumentError("bad timestamp");
    }
  }
  sample.value = *value;
  const std::string family = FamilyOf(sample.name);
  RETURN_IF_ERROR(Enter(family));
  FamilyState& state = families_[family];
  if (!state.help || state.type.empty()) {
    return absl::InvalidArgumentError("sample of " + family + " before its HELP and TYPE lines");
  }
  state.samples = true;
  if (!seen_samples_.insert(sample.name + "|" + LabelKey(sample.labels, false)).second) {
    return absl::InvalidArgumentError("duplicate sample " + sample.name);
  }
  if (state.type == "counter" && !(sample.value >= 0)) {
    return absl::InvalidArgumentError("counter " + sample.name + " is negative or NaN");
  }
  if (state.type == "histogram") {
    HistogramSeries& series = state.series[LabelKey(sample.labels, true)];
    if (sample.name == family + "_bucket") {
      auto le = std::find_if(sample.labels.begin(), sample.labels.end(),
                             [](const auto& l) { return l.first == "le"; });
      if (le == sample.labels.end()) return absl::InvalidArgumentError("bucket without le");
      auto bound = ParseFloat(le->second);
      if (!bound || std::isnan(*bound)) return absl::InvalidArgumentError("bad le value");
      series.buckets.emplace_back(*bound, sample.value);
    } else if (sample.name == family + "_sum") {
      series.sum = sample.value;
    } else if (sample.name == family + "_count") {
      series.count = sample.value;
    } else {
      return absl::InvalidArgumentError("histogram sample " + sample.name);
    }
  }
  samples.push_back(std::move(sample));
  return absl::OkStatus();
}

Status Checker::CheckHistogram(const std::string& name, const FamilyState& state) const {
  if (state.type != "histogram") return absl::OkStatus();
  for (const auto& [key, s] : state.series) {
    const std::string where = absl::StrCat("histogram ", name, "{", key, "}: ");
    if (s.buckets.empty()) return absl::InvalidArgumentError(where + "no buckets");
    if (!s.sum || !s.count) return absl::InvalidArgumentError(where + "_sum or _count missing");
    for (size_t i = 1; i < s.buckets.size(); ++i) {
      if (!(s.buckets[i].first > s.buckets[i - 1].first)) {
        return absl::InvalidArgumentError(where + "le not ascending");
      }
      if (s.buckets[i].second < s.buckets[i - 1].second) {
        return absl::InvalidArgumentError(where + "buckets not cumulative");
      }
    }
    if (!std::isinf(s.buckets.back().first)) {
      return absl::InvalidArgumentError(where + "last bucket is not le=\"+Inf\"");
    }
    if (s.buckets.back().second != *s.count) {
      return absl::InvalidArgumentError(where + "+Inf bucket differs from _count");
    }
  }
  return absl::OkStatus();
}

Status Checker::Line(std::string_view line) {
  if (line.empty()) return absl::InvalidArgumentError("blank line");
  if (line.back() == ' ' || line.back() == '\t' || line.find('\r') != std::string_view::npos) {
    return absl::InvalidArgumentError("trailing whitespace or carriage return");
  }
  return line[0] == '#' ? Comment(line) : SampleLine(line);
}

Status Checker::Finish() {
  if (!current_.empty()) RETURN_IF_ERROR(CheckHistogram(current_, families_[current_]));
  for (const auto& [name, state] : families_) {
    if (!state.help || state.type.empty()) {
      return absl::InvalidArgumentError("family " + name + " lacks HELP or TYPE");
    }
  }
  return absl::OkStatus();
}

bool Includes(const Labels& have, const Labels& want) {
  return std::all_of(want.begin(), want.end(), [&](const auto& w) {
    return std::find(have.begin(), have.end(), w) != have.end();
  });
}

}  // namespace

StatusOr<std::vector<ParsedSample>> ParseExposition(std::string_view text) {
  if (!text.empty() && text.back() != '\n') {
    return absl::InvalidArgumentError("the text does not end with a newline");
  }
  Checker checker;
  size_t number = 0;
  while (!text.empty()) {
    ++number;
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    if (Status s = checker.Line(line); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": ", std::string(s.message()), ": ", std::string(line)));
    }
  }
  RETURN_IF_ERROR(checker.Finish());
  return std::move(checker.samples);
}

std::optional<double> FindValue(const std::vector<ParsedSample>& samples, std::string_view name,
                                const Labels& labels) {
  for (const auto& s : samples) {
    if (s.name == name && Includes(s.labels, labels)) return s.value;
  }
  return std::nullopt;
}

double SumValues(const std::vector<ParsedSample>& samples, std::string_view name,
                 const Labels& labels) {
  double total = 0;
  for (const auto& s : samples) {
    if (s.name == name && Includes(s.labels, labels)) total += s.value;
  }
  return total;
}

}  // namespace inferd::metrics
