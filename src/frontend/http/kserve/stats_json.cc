#include "frontend/http/kserve/stats_json.h"

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteDuration(Writer& w, const char* key, const core::DurationStat& d) {
  w.Key(key);
  w.StartObject();
  w.Key("count");
  w.Uint64(d.count);
  w.Key("ns");
  w.Uint64(d.ns);
  w.EndObject();
}

void WriteInferStats(Writer& w, const core::InferStatistics& s) {
  w.Key("inference_stats");
  w.StartObject();
  WriteDuration(w, "success", s.success);
  WriteDuration(w, "fail", s.fail);
  WriteDuration(w, "queue", s.queue);
  WriteDuration(w, "compute_input", s.compute_input);
  WriteDuration(w, "compute_infer", s.compute_infer);
  WriteDuration(w, "compute_output", s.compute_output);
  WriteDuration(w, "cache_hit", {});
  WriteDuration(w, "cache_miss", {});
  w.EndObject();
}

void WriteModel(Writer& w, const core::ModelStatistics& m) {
  w.StartObject();
  w.Key("name");
  w.String(m.name.c_str(), static_cast<rapidjson::SizeType>(m.name.size()));
  w.Key("version");
  w.String(m.version.c_str(), static_cast<rapidjson::SizeType>(m.version.size()));
  w.Key("last_inference");
  w.Uint64(m.last_inference_ms);
  w.Key("inference_count");
  w.Uint64(m.inference_count);
  w.Key("execution_count");
  w.Uint64(m.execution_count);
  WriteInferStats(w, m.inference_stats);
  w.Key("batch_stats");
  w.StartArray();
  for (const auto& b : m.batch_stats) {
    w.StartObject();
    w.Key("batch_size");
    w.Uint64(b.batch_size);
    WriteDuration(w, "compute_input", b.compute_input);
    WriteDuration(w, "compute_infer", b.compute_infer);
    WriteDuration(w, "compute_output", b.compute_output);
    w.EndObject();
  }
  w.EndArray();
  w.Key("memory_usage");
  w.StartArray();
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string ModelStatisticsJson(const std::vector<core::ModelStatistics>& stats) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("model_stats");
  w.StartArray();
  for (const auto& m : stats) WriteModel(w, m);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
