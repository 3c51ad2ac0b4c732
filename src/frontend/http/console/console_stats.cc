#include "frontend/http/console/console_stats.h"

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

using ConsoleWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteConsoleString(ConsoleWriter& w, const std::string& text) {
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteOptionalNumber(ConsoleWriter& w, const std::optional<double>& value) {
  if (value.has_value()) {
    w.Double(*value);
  } else {
    w.Null();
  }
}

void WriteConsoleModel(ConsoleWriter& w, const core::ModelStatistics& m) {
  const core::InferStatistics& s = m.inference_stats;
  w.StartObject();
  w.Key("name");
  WriteConsoleString(w, m.name);
  w.Key("version");
  WriteConsoleString(w, m.version);
  w.Key("inference_count");
  w.Uint64(m.inference_count);
  w.Key("success");
  w.Uint64(s.success.count);
  w.Key("fail");
  w.Uint64(s.fail.count);
  w.Key("failures");
  w.StartObject();
  for (size_t i = 0; i < core::kFailureReasonCount; ++i) {
    w.Key(core::kFailureReasonNames[i]);
    w.Uint64(m.failures[i]);
  }
  w.EndObject();
  w.Key("pending");
  w.Int64(m.pending_request_count);
  w.Key("success_ns");
  w.Uint64(s.success.ns);
  w.Key("queue");
  w.StartObject();
  w.Key("count");
  w.Uint64(s.queue.count);
  w.Key("ns");
  w.Uint64(s.queue.ns);
  w.EndObject();
  const core::HistogramSnapshot& latency = m.histograms.request_us;
  w.Key("latency_us");
  w.StartObject();
  w.Key("bounds");
  w.StartArray();
  for (double bound : latency.bounds) w.Double(bound);
  w.EndArray();
  w.Key("counts");
  w.StartArray();
  for (uint64_t count : latency.counts) w.Uint64(count);
  w.EndArray();
  w.EndObject();
  w.Key("p50_us");
  WriteOptionalNumber(w, HistogramQuantile(latency, 0.5));
  w.Key("p95_us");
  WriteOptionalNumber(w, HistogramQuantile(latency, 0.95));
  w.EndObject();
}

}  // namespace

std::optional<double> HistogramQuantile(const core::HistogramSnapshot& histogram, double q) {
  uint64_t total = 0;
  for (uint64_t count : histogram.counts) total += count;
  if (total == 0 || histogram.counts.size() != histogram.bounds.size() + 1) return std::nullopt;
  const double rank = q * static_cast<double>(total);
  uint64_t below = 0;
  for (size_t i = 0; i < histogram.bounds.size(); ++i) {
    const uint64_t in_bucket = histogram.counts[i];
    if (in_bucket > 0 && static_cast<double>(below + in_bucket) >= rank) {
      const double lower = i == 0 ? 0.0 : histogram.bounds[i - 1];
      const double upper = histogram.bounds[i];
      const double fraction = (rank - static_cast<double>(below)) / static_cast<double>(in_bucket);
      return lower + (upper - lower) * fraction;
    }
    below += in_bucket;
  }
  // Above every bound: the largest bound is all the histogram can tell.
  if (histogram.bounds.empty()) return std::nullopt;
  return histogram.bounds.back();
}

std::string ConsoleStatsJson(const std::vector<core::ModelStatistics>& stats, uint64_t time_ms) {
  rapidjson::StringBuffer buffer;
  ConsoleWriter w(buffer);
  w.StartObject();
  w.Key("time_ms");
  w.Uint64(time_ms);
  w.Key("models");
  w.StartArray();
  for (const auto& m : stats) WriteConsoleModel(w, m);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
