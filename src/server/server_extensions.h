// The extensions the server metadata lists (HTTP `GET /v2` and gRPC ServerMetadata), in Triton's
// order: exactly the Triton / KServe extensions inferd serves, because clients probe this list
// before using one. A new extension is one line here.
#pragma once

#include <string>
#include <vector>

namespace inferd::server {

inline std::vector<std::string> ServerExtensions() {
  return {
      "classification",                       // output parameter "classification"
      "model_repository",                     // /v2/repository/...
      "model_repository(unload_dependents)",  // accepted on unload
      "schedule_policy",                      // request priority and timeout, queue policies
      "model_configuration",                  // /v2/models/{m}/config
      "binary_tensor_data",                   // HTTP binary tensors
      "system_shared_memory",  // /v2/systemsharedmemory/..., gRPC SystemSharedMemory*
      "statistics",            // /v2/models/stats
      "trace",                 // /v2/trace/setting
      "logging",               // /v2/logging
  };
}

}  // namespace inferd::server
