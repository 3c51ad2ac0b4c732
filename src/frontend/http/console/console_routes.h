// The web console's route table: GET /console (the server-rendered page), its script and style
// sheet (embedded in the binary, console_assets.h) and GET /console/stats (the live figures as
// JSON). The page, script and style belong to the metadata API category, the figures to
// statistics; the page's buttons and upload form call the KServe repository routes and /predict
// themselves, so every restriction applies to them unchanged.
#pragma once

#include "frontend/http/route_table.h"

namespace inferd::frontend::http {

const Dialect& ConsoleDialect();

}  // namespace inferd::frontend::http
