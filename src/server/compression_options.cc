#include "server/compression_options.h"

#include <cctype>
#include <string>

#include "CLI/CLI.hpp"

namespace inferd::server {

void AddCompressionOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--grpc-infer-response-compression-level",
                  options.grpc_infer_response_compression_level,
                  "gRPC: compression of inference responses (none, low, medium, high); gRPC picks "
                  "an algorithm the client accepts")
      ->transform(CLI::IsMember({"none", "low", "medium", "high"}, CLI::ignore_case))
      ->default_val("none");
  command
      .add_option("--grpc-accept-compressed-requests", options.grpc_accept_compressed_requests,
                  "gRPC: accept requests compressed with gzip or deflate. gRPC inflates a message "
                  "whole before checking its size, so enable only for trusted clients "
                  "(docs/security.md)")
      ->default_val(false);
}

frontend::grpc::CompressionLevel GrpcInferCompressionLevel(const ServeOptions& options) {
  std::string level = options.grpc_infer_response_compression_level;
  for (char& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (level == "low") return frontend::grpc::CompressionLevel::kLow;
  if (level == "medium") return frontend::grpc::CompressionLevel::kMedium;
  if (level == "high") return frontend::grpc::CompressionLevel::kHigh;
  return frontend::grpc::CompressionLevel::kNone;
}

}  // namespace inferd::server
