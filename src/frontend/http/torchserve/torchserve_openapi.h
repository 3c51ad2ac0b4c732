// OPTIONS / : an OpenAPI 3.0 description of the TorchServe-compatible inference and management
// APIs inferd serves, as TorchServe answers OPTIONS on its ports. Pure, thread-safe.
#pragma once

#include "frontend/http/http_message.h"

namespace inferd::frontend::http {

HttpResponse TorchServeApiDescription();

}  // namespace inferd::frontend::http
