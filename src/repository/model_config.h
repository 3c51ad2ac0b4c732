// Parsing of config.pbtxt (protobuf text format) into inference::ModelConfig.
//
// Errors (syntax, unknown field, bad enum value, wrong value type) are InvalidArgument and name
// the file, the 1-based line and column of each problem, so a user can fix their config without
// guessing. Whether a *missing* config file is acceptable is the caller's decision (Triton allows
// it when auto-complete is on), so ParseConfigFile reports it as NotFound, distinct from a bad
// file.
//
// Pure functions; thread-safe.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model_config.pb.h"
#include "repository/config_fields.h"

namespace inferd::repository {

// Parses `text`; `file_name` only labels error messages ("models/simple/config.pbtxt:3:5: ...").
StatusOr<::inference::ModelConfig> ParseConfigText(std::string_view text,
                                                   std::string_view file_name);

// A parsed config and the fields it sets that inferd ignores (config_fields.h), each with its
// file:line:column.
struct CheckedConfig {
  ::inference::ModelConfig config;
  std::vector<ConfigFinding> ignored;
};

// ParseConfigText, then the field rules: InvalidArgument listing every refused field it sets,
// each with its file:line:column (so a migrating user fixes them all in one pass).
StatusOr<CheckedConfig> ParseCheckedConfigText(std::string_view text, std::string_view file_name);

// The field rules for a config that has no text (given as JSON): refused fields fail, named
// without a line; ignored ones are returned.
StatusOr<std::vector<ConfigFinding>> CheckConfig(const ::inference::ModelConfig& config,
                                                 std::string_view origin);

// Parses a ModelConfig given as JSON (protobuf's JSON mapping, as Triton's load API takes in
// `parameters.config`). InvalidArgument with the parser's message.
StatusOr<::inference::ModelConfig> ParseConfigJson(std::string_view json);

// Reads and parses `path`. NotFound when the file does not exist (the caller decides whether that
// is an error); InvalidArgument, naming the path, when it exists but cannot be read or parsed.
StatusOr<::inference::ModelConfig> ParseConfigFile(const std::filesystem::path& path);

}  // namespace inferd::repository
