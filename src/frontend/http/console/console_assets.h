// The console's script and style sheet, the files under console/assets/ embedded into the
// binary at build time (cmake/embed_file.cmake generates their definitions). ADR 0014.
#pragma once

#include <string_view>

namespace inferd::frontend::http {

std::string_view ConsoleScript();
std::string_view ConsoleStyle();

}  // namespace inferd::frontend::http
