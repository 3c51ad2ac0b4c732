#include "common/logging.h"

#include <memory>

#include "spdlog/sinks/basic_file_sink.h"
#include "spdlog/sinks/stdout_sinks.h"

namespace inferd::logging {

Status Configure(const Options& options) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (options.file.empty()) {
      logger = spdlog::stderr_logger_mt("inferd");
    } else {
      logger = spdlog::basic_logger_mt("inferd", options.file);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return absl::InvalidArgumentError(std::string("cannot open log: ") + e.what());
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ [%t] %v", spdlog::pattern_time_type::utc);
  logger->set_level(options.verbose > 0 ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return absl::OkStatus();
}

}  // namespace inferd::logging
