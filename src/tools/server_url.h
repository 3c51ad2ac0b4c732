// The server `inferd perf` and `inferd smoke` talk to when -u is not given: Triton's default
// ports, as perf_analyzer (HTTP 127.0.0.1:8000, gRPC localhost:8001).
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace inferd::tools {

std::string DefaultServerUrl(std::string_view protocol);

// Once `command` is parsed: `url` becomes DefaultServerUrl(protocol) unless `url_option` was
// given.
void DefaultUrlForProtocol(CLI::App& command, CLI::Option* url_option, const std::string& protocol,
                           std::string& url);

}  // namespace inferd::tools
