// Triton's ensembles (`platform: "ensemble"`) in the backend registry. An ensemble has no model
// file and no runtime: registering it lets the registry resolve its platform, identify its
// versions by their config alone, and check its step graph before anything loads
// (core/ensemble_graph.h). Its requests run on scheduler::EnsembleScheduler, which the scheduler
// factory picks from `ensemble_scheduling`; the instances this backend creates are never given a
// request. See docs/adr/0011.
#pragma once

#include "backend/registry/backend_registry.h"
#include "common/status.h"

namespace inferd::backend {

Status RegisterEnsembleBackend(BackendRegistry& registry);

// Text readers (`platform: "text_reader"`, core/text_reader.h, docs/adr/0017) the same way: no
// model file, the declaration checked before anything loads, requests run by
// scheduler::TextReaderScheduler over the models the config names.
Status RegisterTextReaderBackend(BackendRegistry& registry);

}  // namespace inferd::backend
