// The TF Serving REST API's route table (/v1/models/...). TF Serving answers every unknown /v1
// path and wrong method with 400 "Malformed request", and so does this dialect.
#pragma once

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

const Dialect& TfServingDialect();

}  // namespace inferd::frontend::http
