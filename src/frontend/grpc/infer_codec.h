// Decodes a gRPC ModelInferRequest into a core::InferenceRequest and encodes a
// core::InferenceResponse as a ModelInferResponse. Checks protocol well-formedness only (data
// form, sizes against shapes, names); the facade checks the request against the model.
// Pure functions, thread-safe.
//
// Lifetime: input tensors view the message's raw_input_contents (and typed fields whose wire
// type is the tensor type) in place; the decoded request's `body` shares ownership of the
// message, so it lives until the request is destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/inference_request.h"
#include "core/inference_response.h"
#include "core/shared_memory.h"
#include "grpc_service.pb.h"

namespace inferd::frontend::grpc {

struct DecodeLimits {
  // Bounds every tensor's element count (a client-chosen shape never drives a huge allocation).
  int64_t max_elements = int64_t{1} << 31;
};

// An output requested with parameter "classification" (the KServe classification extension).
struct OutputClassification {
  std::string output;
  int count = 0;  // the top `count` classes, > 0
};

// An output requested with the shared-memory parameters: written into `block`, not the message.
struct SharedMemoryOutput {
  std::string output;
  std::string region;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
  core::SharedMemoryBlock block;
};

struct DecodedInferRequest {
  std::unique_ptr<core::InferenceRequest> request;
  std::vector<OutputClassification> classifications;
  std::vector<SharedMemoryOutput> shared_memory_outputs;
};

// `registry` (may be null: extension off) resolves the shared-memory parameters of inputs and
// outputs. Raw contents go, in order, to the inputs not in shared memory.
StatusOr<DecodedInferRequest> DecodeInferRequest(
    std::shared_ptr<const ::inference::ModelInferRequest> message, const DecodeLimits& limits,
    const core::SharedMemoryRegistry* registry = nullptr);

// Writes every output's data in raw_output_contents, whichever form the request's inputs used,
// as Triton does (its clients read raw_output_contents only); BYTES elements are each a 4-byte
// little-endian length and the bytes. An output in `shared_memory` is copied into its block and
// gets an empty raw_output_contents entry (keeping the entries aligned with the outputs) and
// its shared-memory parameters.
Status EncodeInferResponse(const core::InferenceResponse& response,
                           ::inference::ModelInferResponse& out,
                           const std::vector<SharedMemoryOutput>& shared_memory = {});

// "" -> 0 (the server's choice); a positive decimal integer -> itself; else InvalidArgument.
StatusOr<int64_t> ParseModelVersion(const std::string& version);

}  // namespace inferd::frontend::grpc
