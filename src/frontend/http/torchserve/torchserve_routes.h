// TorchServe's inference and management APIs' route table (/ping, /predictions, /models, and
// OPTIONS / for the API description), served on the main HTTP port.
#pragma once

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

const Dialect& TorchServeDialect();

}  // namespace inferd::frontend::http
