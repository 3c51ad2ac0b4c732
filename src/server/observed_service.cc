#include "server/observed_service.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace inferd::server {
namespace {

std::string RandomPrefix() {
  std::random_device device;
  char buf[8];
  const auto end = std::to_chars(buf, buf + sizeof buf, device() % 0x10000 + 0x10000, 16).ptr;
  return std::string(buf + 1, end);  // 4 hex digits (the leading 1 keeps zeros)
}

// What a completion needs to log and trace; allocated only when either is on.
struct Observation {
  std::string id;
  std::string model;
  int64_t version = 0;
  std::shared_ptr<core::RequestTimeline> timeline;
};

// Ids are echoed in responses and written to logs and traces: a client must not turn one request
// into megabytes of disk. Triton's clients send short ids; 256 bytes is generous.
constexpr size_t kMaxRequestIdBytes = 256;

}  // namespace

ObservedService::ObservedService(core::InferenceService& inner, metrics::Tracer& tracer)
    : inner_(inner), tracer_(tracer), prefix_(RandomPrefix()) {}

std::string ObservedService::NextId() {
  char buf[24];
  char* p = std::copy(prefix_.begin(), prefix_.end(), buf);
  *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, next_id_.fetch_add(1, std::memory_order_relaxed), 16).ptr;
  return std::string(buf, p);
}

void ObservedService::Infer(std::unique_ptr<core::InferenceRequest> request,
                            core::ResponseCallback done) {
  if (request->id.size() > kMaxRequestIdBytes) {
    return std::move(done)(absl::InvalidArgumentError(
        absl::StrCat("request id is ", request->id.size(), " bytes long; at most ",
                     kMaxRequestIdBytes, " are accepted")));
  }
  if (request->id.empty()) request->id = NextId();
  const bool verbose = logging::VerboseEnabled(1);
  const bool traced = tracer_.Sample();
  std::unique_ptr<Observation> seen;
  if (verbose || traced) {
    seen = std::make_unique<Observation>(
        Observation{request->id, request->model_name, request->model_version, nullptr});
    if (traced) {
      seen->timeline = std::make_shared<core::RequestTimeline>();
      seen->timeline->received = request->received;
      request->timeline = seen->timeline;
    }
  }
  if (verbose) {
    const std::string version = std::to_string(seen->version);
    logging::Log(spdlog::level::debug, "inference request received",
                 {{"request_id", seen->id}, {"model", seen->model}, {"version", version}});
  }
  // Nothing to log or trace (the common case): the caller's callback goes through as it is, with
  // no wrapper to allocate and call.
  if (seen == nullptr) return inner_.Infer(std::move(request), std::move(done));
  inner_.Infer(std::move(request), [this, seen = std::move(seen), done = std::move(done)](
                                       StatusOr<core::InferenceResponse> result) mutable {
    const Status status = result.ok() ? Status() : result.status();
    const int64_t version = result.ok() ? result->model_version : seen->version;
    std::move(done)(std::move(result));
    const std::string v = std::to_string(version);
    if (status.ok()) {
      logging::Log(spdlog::level::debug, "inference request completed",
                   {{"request_id", seen->id}, {"model", seen->model}, {"version", v}});
    } else {
      const std::string message(status.message());
      logging::Log(
          spdlog::level::debug, "inference request failed",
          {{"request_id", seen->id}, {"model", seen->model}, {"version", v}, {"error", message}});
    }
    if (seen->timeline) {
      const auto& t = *seen->timeline;
      tracer_.Write(seen->id, seen->model, version,
                    {{"received", t.received},
                     {"queued", t.queued},
                     {"compute_start", t.compute_start},
                     {"compute_end", t.compute_end},
                     {"response_sent", std::chrono::steady_clock::now()}});
    }
  });
}

}  // namespace inferd::server
