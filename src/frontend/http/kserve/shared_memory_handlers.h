// Triton's shared-memory extension over REST: /v2/systemsharedmemory/... (status, register,
// unregister; core/shared_memory.h holds the regions) and /v2/cudasharedmemory/..., which this
// CPU-only server answers with "not supported" (its status is an empty list). Pure functions of
// their arguments; thread-safe as the registry is.
#pragma once

#include <string_view>

#include "core/shared_memory.h"
#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

// `registry` null: the extension is off (every call answers 400). `name` is the URL-decoded
// region name; empty = every region (status, unregister).
HttpResponse HandleSystemShmStatus(const core::SharedMemoryRegistry* registry,
                                   std::string_view name);
HttpResponse HandleSystemShmRegister(core::SharedMemoryRegistry* registry, std::string_view name,
                                     std::string_view body);
HttpResponse HandleSystemShmUnregister(core::SharedMemoryRegistry* registry, std::string_view name);

HttpResponse HandleCudaShmStatus(std::string_view name);
HttpResponse HandleCudaShmRegister();
HttpResponse HandleCudaShmUnregister(std::string_view name);

}  // namespace inferd::frontend::http
