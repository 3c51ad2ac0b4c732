#include "frontend/http/kserve/observability_handlers.h"

#include <charconv>
#include <string>

#include "common/logging.h"
#include "frontend/http/json_parse.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

HttpResponse Ok(const rapidjson::StringBuffer& buffer) {
  return JsonResponse(bhttp::status::ok, std::string(buffer.GetString(), buffer.GetSize()));
}

HttpResponse LoggingResponse(const logging::Settings& s) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("log_file");
  w.String(s.log_file.c_str());
  w.Key("log_info");
  w.Bool(s.log_info);
  w.Key("log_warning");
  w.Bool(s.log_warning);
  w.Key("log_error");
  w.Bool(s.log_error);
  w.Key("log_verbose_level");
  w.Int(s.log_verbose_level);
  w.Key("log_format");
  w.String(s.log_format.c_str());
  w.EndObject();
  return Ok(buffer);
}

StatusOr<rapidjson::Document> ParseObject(std::string_view body) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(body, 4));
  if (!doc.IsObject()) return absl::InvalidArgumentError("the body must be a JSON object");
  return doc;
}

Status ReadBool(const rapidjson::Value& doc, const char* key, bool& out) {
  if (!doc.HasMember(key)) return absl::OkStatus();
  if (!doc[key].IsBool()) return absl::InvalidArgumentError(std::string(key) + " must be a bool");
  out = doc[key].GetBool();
  return absl::OkStatus();
}

// An integer given as a JSON number or a decimal string (Triton's clients send strings).
Status ReadInt(const rapidjson::Value& doc, const char* key, int64_t& out) {
  if (!doc.HasMember(key)) return absl::OkStatus();
  const auto& v = doc[key];
  if (v.IsInt64()) {
    out = v.GetInt64();
    return absl::OkStatus();
  }
  if (v.IsString()) {
    const char* s = v.GetString();
    const char* end = s + v.GetStringLength();
    auto parsed = std::from_chars(s, end, out);
    if (parsed.ec == std::errc() && parsed.ptr == end && s != end) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(std::string(key) + " must be an integer");
}

Status ReadString(const rapidjson::Value& doc, const char* key, std::string& out) {
  if (!doc.HasMember(key)) return absl::OkStatus();
  if (!doc[key].IsString())
    return absl::InvalidArgumentError(std::string(key) + " must be a string");
  out = doc[key].GetString();
  return absl::OkStatus();
}

Status ApplyLogging(std::string_view body) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseObject(body));
  logging::Settings s = logging::GetSettings();
  RETURN_IF_ERROR(ReadBool(doc, "log_info", s.log_info));
  RETURN_IF_ERROR(ReadBool(doc, "log_warning", s.log_warning));
  RETURN_IF_ERROR(ReadBool(doc, "log_error", s.log_error));
  int64_t verbose = s.log_verbose_level;
  RETURN_IF_ERROR(ReadInt(doc, "log_verbose_level", verbose));
  if (verbose < 0 || verbose > 1000) {
    return absl::InvalidArgumentError("log_verbose_level must be 0..1000");
  }
  s.log_verbose_level = static_cast<int>(verbose);
  RETURN_IF_ERROR(ReadString(doc, "log_format", s.log_format));
  if (s.log_format == "default") s.log_format = "text";
  RETURN_IF_ERROR(ReadString(doc, "log_file", s.log_file));
  return logging::UpdateSettings(s);
}

HttpResponse TraceResponse(const metrics::TraceSettings& s) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("trace_level");
  w.StartArray();
  w.String(s.trace_level.c_str());
  w.EndArray();
  w.Key("trace_rate");
  w.String(std::to_string(s.trace_rate).c_str());
  w.Key("trace_count");
  w.String(std::to_string(s.trace_count).c_str());
  w.Key("log_frequency");
  w.String("0");
  w.Key("trace_file");
  w.String(s.trace_file.c_str());
  w.EndObject();
  return Ok(buffer);
}

Status ApplyTrace(metrics::Tracer& tracer, std::string_view body) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseObject(body));
  metrics::TraceSettings s = tracer.Settings();
  if (doc.HasMember("trace_level")) {
    const auto& level = doc["trace_level"];
    if (level.IsString()) {
      s.trace_level = level.GetString();
    } else if (level.IsArray() && level.Size() == 1 && level[0].IsString()) {
      s.trace_level = level[0].GetString();
    } else if (level.IsArray() && level.Empty()) {
      s.trace_level = "OFF";
    } else {
      return absl::InvalidArgumentError("trace_level must be [\"TIMESTAMPS\"] or [\"OFF\"]");
    }
  }
  int64_t rate = static_cast<int64_t>(s.trace_rate);
  RETURN_IF_ERROR(ReadInt(doc, "trace_rate", rate));
  if (rate < 1) return absl::InvalidArgumentError("trace_rate must be >= 1");
  s.trace_rate = static_cast<uint64_t>(rate);
  RETURN_IF_ERROR(ReadInt(doc, "trace_count", s.trace_count));
  RETURN_IF_ERROR(ReadString(doc, "trace_file", s.trace_file));
  return tracer.Update(s);
}

}  // namespace

HttpResponse HandleLoggingGet() { return LoggingResponse(logging::GetSettings()); }

HttpResponse HandleLoggingPost(std::string_view body) {
  if (Status s = ApplyLogging(body); !s.ok()) return ErrorResponse(s);
  return LoggingResponse(logging::GetSettings());
}

HttpResponse HandleTraceGet(const metrics::Tracer* tracer) {
  if (tracer == nullptr) return ErrorResponse(bhttp::status::not_found, "tracing is not enabled");
  return TraceResponse(tracer->Settings());
}

HttpResponse HandleTracePost(metrics::Tracer* tracer, std::string_view body) {
  if (tracer == nullptr) return ErrorResponse(bhttp::status::not_found, "tracing is not enabled");
  if (Status s = ApplyTrace(*tracer, body); !s.ok()) return ErrorResponse(s);
  return TraceResponse(tracer->Settings());
}

}  // namespace inferd::frontend::http
