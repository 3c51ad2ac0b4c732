#include "metrics/request_trace.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
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
  {
    absl::MutexLock lock(&queue_mu_);
    stop_ = true;
  }
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) ::close(fd_);
}

Status Tracer::Validate(const TraceSettings& settings) const {
  if (settings.trace_level != "OFF" && settings.trace_level != "TIMESTAMPS") {
    return absl::InvalidArgumentError(
        absl::StrCat("trace_level must be OFF or TIMESTAMPS, not '", settings.trace_level, "'"));
  }
  if (settings.trace_rate < 1) return absl::InvalidArgumentError("trace_rate must be >= 1");
  if (settings.trace_count < -1) return absl::InvalidArgumentError("trace_count must be >= -1");
  if (settings.trace_level == "TIMESTAMPS" && settings.trace_file.empty()) {
    return absl::InvalidArgumentError("trace_level TIMESTAMPS needs a trace file (--trace-file)");
  }
  return absl::OkStatus();
}

void Tracer::Apply(const TraceSettings& settings) {
  settings_ = settings;
  rate_.store(settings.trace_rate, std::memory_order_relaxed);
  remaining_.store(settings.trace_count, std::memory_order_relaxed);
  seen_.store(0, std::memory_order_relaxed);
  enabled_.store(settings.trace_level == "TIMESTAMPS", std::memory_order_release);
}

Status Tracer::Start(const TraceSettings& settings) {
  RETURN_IF_ERROR(Validate(settings));
  absl::MutexLock lock(&mu_);
  if (started_) return absl::FailedPreconditionError("the tracer is already started");
  if (!settings.trace_file.empty()) {
    // Non-blocking: opening a FIFO without a reader fails at once instead of hanging, and the
    // regular-file check refuses it (and devices) outright.
    const int fd = ::open(settings.trace_file.c_str(),
                          O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0644);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      const int error = fd < 0 ? errno : EINVAL;
      if (fd >= 0) ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat("cannot open trace file ", settings.trace_file, ": ",
                       error == EINVAL ? "not a regular file" : std::strerror(error)));
    }
    fd_ = fd;
    writer_ = std::thread([this] { WriterLoop(); });
  }
  started_ = true;
  Apply(settings);
  return absl::OkStatus();
}

Status Tracer::Update(const TraceSettings& settings) {
  RETURN_IF_ERROR(Validate(settings));
  absl::MutexLock lock(&mu_);
  if (settings.trace_file != settings_.trace_file) {
    // As Triton: the file is the operator's choice, made on the command line. A client that
    // could choose it could create or append to any file the server may write.
    return absl::InvalidArgumentError(
        "trace_file cannot be updated through the network protocol; set it with --trace-file "
        "when the server starts");
  }
  Apply(settings);
  return absl::OkStatus();
}

void Tracer::Flush() {
  absl::MutexLock lock(&queue_mu_);
  queue_mu_.Await(absl::Condition(
      +[](size_t* pending) { return *pending == 0; }, &pending_));
}

void Tracer::WriterLoop() {
  while (true) {
    std::string line;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](Tracer* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(t->queue_mu_) {
            return t->stop_ || !t->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and everything queued is written
      line = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= line.size();
    }
    size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        break;
      }
      done += static_cast<size_t>(n);
    }
    absl::MutexLock lock(&queue_mu_);
    --pending_;
  }
}

TraceSettings Tracer::Settings() const {
  absl::MutexLock lock(&mu_);
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
  AppendJsonString(line, id.substr(0, kMaxTraceFieldBytes));
  line += ",\"model_name\":";
  AppendJsonString(line, model.substr(0, kMaxTraceFieldBytes));
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
  if (fd_ < 0) return;
  absl::MutexLock lock(&queue_mu_);
  if (stop_ || queued_bytes_ + line.size() > kMaxQueuedTraceBytes) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  queued_bytes_ += line.size();
  ++pending_;
  queue_.push_back(std::move(line));
}

}  // namespace inferd::metrics
