// Encodes a core::InferenceResponse as a KServe v2 REST body: pure JSON, or the binary tensor
// extension (JSON header, then the raw bytes of the outputs sent as binary, in output order,
// announced by the Inference-Header-Content-Length header). Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/inference_response.h"
#include "core/shared_memory.h"

namespace inferd::frontend::http {

// How the client asked for outputs: the names it listed (empty = every output) and which of
// them go as binary.
struct OutputEncoding {
  struct Requested {
    std::string name;
    bool binary = false;
    int classification = 0;  // > 0: the top-N classes as "score:index:label" strings
    // Set: the output is written into this shared-memory block (core/shared_memory.h), and
    // the response carries only its metadata and these parameters.
    struct SharedMemoryOutput {
      std::string region;
      uint64_t offset = 0;
      uint64_t byte_size = 0;
      core::SharedMemoryBlock block;
    };
    std::optional<SharedMemoryOutput> shared_memory;
  };
  std::vector<Requested> requested;
  bool binary_all = false;  // request parameter "binary_data_output": true

  bool IsBinary(std::string_view output_name) const;
  // The output's shared-memory destination; null when it goes in the response body.
  const Requested::SharedMemoryOutput* SharedMemory(std::string_view output_name) const;
};

struct EncodedResponse {
  std::string body;                     // the JSON header, then the binary outputs
  std::optional<size_t> header_length;  // set when `body` carries binary outputs
  bool binary() const { return header_length.has_value(); }
};

// Only the requested outputs are written, in the requested order; Internal if one is missing.
// Outputs bound to shared memory are copied there (InvalidArgument when the block is too small).
StatusOr<EncodedResponse> EncodeInferResponse(const core::InferenceResponse& response,
                                              const OutputEncoding& encoding);

}  // namespace inferd::frontend::http
