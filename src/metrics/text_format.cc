#include "metrics/text_format.h"

#include <cmath>
#include <cstdio>

namespace inferd::metrics {
namespace {

void AppendEscaped(std::string& out, const std::string& text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

void AppendLabels(std::string& out, const Labels& labels, const char* le = nullptr,
                  double bound = 0) {
  if (labels.empty() && le == nullptr) return;
  out.push_back('{');
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out.push_back(',');
    first = false;
    out += name;
    out += "=\"";
    AppendEscaped(out, value, /*quote=*/true);
    out.push_back('"');
  }
  if (le != nullptr) {
    if (!first) out.push_back(',');
    out += "le=\"";
    out += le[0] != '\0' ? std::string(le) : FormatValue(bound);
    out.push_back('"');
  }
  out.push_back('}');
}

void AppendValue(std::string& out, double value) {
  out.push_back(' ');
  out += FormatValue(value);
  out.push_back('\n');
}

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

void AppendHistogram(std::string& out, const std::string& name, const Sample& sample) {
  const HistogramValue& h = sample.histogram;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.counts.size(); ++i) {
    cumulative += h.counts[i];
    out += name;
    out += "_bucket";
    if (i < h.bounds.size()) {
      AppendLabels(out, sample.labels, "", h.bounds[i]);
    } else {
      AppendLabels(out, sample.labels, "+Inf");
    }
    AppendValue(out, static_cast<double>(cumulative));
  }
  out += name;
  out += "_sum";
  AppendLabels(out, sample.labels);
  AppendValue(out, h.sum);
  out += name;
  out += "_count";
  AppendLabels(out, sample.labels);
  AppendValue(out, static_cast<double>(cumulative));
}

}  // namespace

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  if (value == std::trunc(value) && std::fabs(value) < 9.007199254740992e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
  }
  return buffer;
}

std::string WriteText(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const MetricFamily& family : families) {
    if (family.samples.empty()) continue;
    out += "# HELP ";
    out += family.name;
    out.push_back(' ');
    AppendEscaped(out, family.help, /*quote=*/false);
    out += "\n# TYPE ";
    out += family.name;
    out.push_back(' ');
    out += TypeName(family.type);
    out.push_back('\n');
    for (const Sample& sample : family.samples) {
      if (family.type == MetricType::kHistogram) {
        AppendHistogram(out, family.name, sample);
        continue;
      }
      out += family.name;
      AppendLabels(out, sample.labels);
      AppendValue(out, sample.value);
    }
  }
  return out;
}

}  // namespace inferd::metrics
