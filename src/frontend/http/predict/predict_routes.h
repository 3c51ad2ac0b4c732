// The FastAPI-style routes: POST /predict[/{model}[/versions/{version}]] and GET /health.
#pragma once

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

const Dialect& PredictDialect();

}  // namespace inferd::frontend::http
