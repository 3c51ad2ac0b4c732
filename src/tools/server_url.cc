#include "tools/server_url.h"

#include "CLI/CLI.hpp"

namespace inferd::tools {

std::string DefaultServerUrl(std::string_view protocol) {
  return protocol == "grpc" ? "localhost:8001" : "127.0.0.1:8000";
}

void DefaultUrlForProtocol(CLI::App& command, CLI::Option* url_option, const std::string& protocol,
                           std::string& url) {
  command.parse_complete_callback([url_option, &protocol, &url] {
    if (url_option->count() == 0) url = DefaultServerUrl(protocol);
  });
}

}  // namespace inferd::tools
