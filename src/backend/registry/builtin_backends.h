// The backends this server binary serves with. The server registers them through this one call
// and never includes a runtime's folder; a new backend adds one line to RegisterBuiltinBackends
// (docs/architecture.md, "Adding a backend").
#pragma once

#include "backend/registry/backend_registry.h"
#include "common/status.h"

namespace inferd::backend {

Status RegisterBuiltinBackends(BackendRegistry& registry);

}  // namespace inferd::backend
