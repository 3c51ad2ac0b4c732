// One inference request as every front end hands it to core::InferenceService, independent of
// protocol. Owned by a unique_ptr from decoding until it completes; the scheduler may move it
// between threads, but only one thread touches it at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/cord.h"
#include "common/status.h"
#include "core/cancellation.h"
#include "core/tensor.h"

namespace inferd::core {

// Timestamps of a traced request (Triton's trace_level TIMESTAMPS). The front end's observer
// sets `received`; the scheduler sets the rest before it completes the request, on the thread
// that then runs the completion callback, which reads them.
struct RequestTimeline {
  std::chrono::steady_clock::time_point received{};
  std::chrono::steady_clock::time_point queued{};
  std::chrono::steady_clock::time_point compute_start{};
  std::chrono::steady_clock::time_point compute_end{};
};

// Triton's correlation id of a request to a stateful (sequence) model: a non-zero unsigned
// integer or a non-empty string. Neither set = the request belongs to no sequence.
struct CorrelationId {
  uint64_t number = 0;  // used when `text` is empty
  std::string text;
  bool empty() const { return number == 0 && text.empty(); }
  bool is_text() const { return !text.empty(); }
  // For messages: the number, or the string in quotes.
  std::string ToString() const { return is_text() ? "'" + text + "'" : std::to_string(number); }
  friend bool operator==(const CorrelationId&, const CorrelationId&) = default;
};

// An output asked back as its top classes (the KServe classification extension).
struct ClassificationRequest {
  std::string output;
  int count = 0;  // > 0
};

struct InferenceRequest {
  std::string model_name;
  int64_t model_version = 0;  // 0 = the server's choice (the highest ready version)
  std::string id;             // echoed in the response; may be empty
  std::vector<Tensor> inputs;
  std::vector<std::string> requested_outputs;  // empty = every output of the model
  uint64_t priority = 0;                       // 0 = the model's default priority level
  uint64_t timeout_us = 0;                     // 0 = the model's default queue timeout
  // Triton's sequence parameters (sequence_id, sequence_start, sequence_end): only models with
  // sequence_batching read them; others ignore them, as Triton does.
  CorrelationId sequence_id;
  bool sequence_start = false;
  bool sequence_end = false;
  // Keeps alive whatever the input views point into (e.g. the HTTP request body).
  std::shared_ptr<const void> body;
  // Set by the front end; null = cannot be cancelled. A cancelled request still queued is
  // completed with Cancelled and never executed.
  CancellationToken cancellation;
  // When the front end received the request (start of the request duration statistics).
  std::chrono::steady_clock::time_point received = std::chrono::steady_clock::now();
  // Non-null when this request is sampled for tracing (see RequestTimeline).
  std::shared_ptr<RequestTimeline> timeline;
  // Time the front end spent turning the body into tensors before Infer (image decoding and
  // preprocessing; 0 for tensor requests). Part of the request duration; statistics report it
  // on its own.
  std::chrono::nanoseconds preprocess_duration{0};
  // Post-processing the service applies with the assets of the very version that runs the
  // request, so no front end reads a label file: each output named here comes back as a BYTES
  // tensor of its top `count` "score:index[:label]" strings.
  std::vector<ClassificationRequest> classifications;
  // An encoded image (JPEG/PNG) in place of `inputs` (/predict, TorchServe image bodies): the
  // service turns it into the input of the version that will run, with that version's declared
  // image pipeline, and answers InferenceResponse::predictions. Views `body`.
  std::optional<std::string_view> image;
};

// An image request for a model that declares no image pipeline: InvalidArgument (the client's
// mistake), marked so a front end can answer it its own way (TorchServe: 415).
inline constexpr char kNoImagePipelineMark[] = "inferd.no_image_pipeline";
inline Status NoImagePipelineError(std::string_view message) {
  Status status = absl::InvalidArgumentError(std::string(message));
  status.SetPayload(kNoImagePipelineMark, absl::Cord("1"));
  return status;
}
inline bool IsNoImagePipeline(const Status& status) {
  return status.GetPayload(kNoImagePipelineMark).has_value();
}

}  // namespace inferd::core
