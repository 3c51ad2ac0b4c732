// Options of `inferd serve`, and their registration on a CLI11 subcommand. Plain data.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace inferd::server {

struct ServeOptions {
  std::vector<std::string> model_repositories;
  bool disable_auto_complete_config = false;
  bool strict_readiness = true;
  int model_load_thread_count = 4;
  std::string http_address = "0.0.0.0";
  int http_port = 8000;
  int http_threads = 0;  // 0 = number of cores
  size_t http_max_input_size = size_t{64} << 20;
  int log_verbose = 0;
  std::string log_file;
};

void AddServeOptions(CLI::App& command, ServeOptions& options);

}  // namespace inferd::server
