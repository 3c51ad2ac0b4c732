// The KServe v2 REST API's route table (plus Triton's logging, trace, statistics and repository
// extensions): every /v2 path inferd serves, with its label, API category and description.
#pragma once

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

const Dialect& KServeDialect();

}  // namespace inferd::frontend::http
