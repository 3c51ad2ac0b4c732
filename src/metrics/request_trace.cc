#include "metrics/request_trace.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::metrics {
namespace {

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

Tracer::~Tracer() {
  if (file_ != nullptr) std::fclose(file_);
}

Status Tracer::Update(const TraceSettings& settings) {
  if (settings.trace_level != "OFF" && settings.trace_level != "TIMESTAMPS") {
    return absl::InvalidArgumentError(
        absl::StrCat("trace_level must be OFF or TIMESTAMPS, not '", settings.trace_level, "'"));
  }
  if (settings.trace_rate < 1) return absl::InvalidArgumentError("trace_rate must be >= 1");
  if (settings.trace_count < -1) return absl::InvalidArgumentError("trace_count must be >= -1");
  const bool on = settings.trace_level == "TIMESTAMPS";
  if (on && settings.trace_file.empty()) {
    return absl::InvalidArgumentError("trace_level TIMESTAMPS needs a trace_file");
  }
  std::lock_guard lock(mu_);
  if (settings.trace_file != settings_.trace_file || (on && file_ == nullptr)) {
    std::FILE* next = nullptr;
    if (!settings.trace_file.empty()) {
      next = std::fopen(settings.trace_file.c_str(), "a");
      if (next == nullptr) {
        return absl::InvalidArgumentError("cannot open trace file " + settings.trace_file);
      }
    }
    if (file_ != nullptr) std::fclose(file_);
    file_ = next;
  }
  settings_ = settings;
  rate_.store(settings.trace_rate, std::memory_order_relaxed);
  remaining_.store(settings.trace_count, std::memory_order_relaxed);
  seen_.store(0, std::memory_order_relaxed);
  enabled_.store(on, std::memory_order_release);
  return absl::OkStatus();
}

TraceSettings Tracer::Settings() const {
  std::lock_guard lock(mu_);
  TraceSettings out = settings_;
  out.trace_count = remaining_.load(std::memory_order_relaxed);
  return out;
}

bool Tracer::Sample() {
  if (!enabled_.load(std::memory_order_relaxed)) return false;
  if (seen_.fetch_add(1, std::memory_order_relaxed) % rate_.load(std::memory_order_relaxed) != 0) {
    return false;
  }
  int64_t left = remaining_.load(std::memory_order_relaxed);
  while (left != -1) {
    if (left == 0) return false;
    if (remaining_.compare_exchange_weak(left, left - 1, std::memory_order_relaxed)) break;
  }
  return true;
}

void Tracer::Write(std::string_view id, std::string_view model, int64_t version,
                   const std::vector<TraceEvent>& events) {
  std::string line = "{\"id\":";
  AppendJsonString(line, id);
  line += ",\"model_name\":";
  AppendJsonString(line, model);
  absl::StrAppend(&line, ",\"model_version\":", version, ",\"timestamps\":[");
  bool first = true;
  for (const TraceEvent& e : events) {
    if (e.at == std::chrono::steady_clock::time_point{}) continue;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(e.at.time_since_epoch()) +
                    epoch_offset_;
    absl::StrAppend(&line, first ? "" : ",", "{\"name\":\"", e.name, "\",\"ns\":", ns.count(), "}");
    first = false;
  }
  line += "]}\n";
  std::lock_guard lock(mu_);
  if (file_ == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace inferd::metrics
