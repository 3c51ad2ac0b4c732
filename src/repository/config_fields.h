// What inferd does with each field of Triton's model configuration: uses it, ignores it with a
// warning, or refuses the model. One table (config_fields.cc) decides, for `serve` and for
// `inferd check-repository` alike, and docs/migrating-from-triton.md lists the same table (a test
// compares them).
//
// Paths are field names joined by '.', without indices ("instance_group.rate_limiter"). A message
// field marked supported is looked into: its own fields have rules. A field marked ignored or
// refused covers everything inside it. Map fields are single entries (their keys are data).
//
// Values are not this table's concern: `kind: KIND_GPU` is a supported field whose value the
// model's backend accepts or refuses (BackendRegistration::check_config).
//
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "google/protobuf/text_format.h"
#include "model_config.pb.h"

namespace inferd::repository {

enum class FieldSupport { kSupported, kIgnored, kRefused };
std::string_view FieldSupportName(FieldSupport support);  // "supported", "ignored", "refused"

struct FieldRule {
  std::string_view path;
  FieldSupport support;
  std::string_view why;  // for ignored and refused fields: what inferd does instead
};

// Every rule, in the order of Triton's model_config.proto.
std::span<const FieldRule> ConfigFieldRules();
// The rule of `path`, or null when the table has none.
const FieldRule* FindFieldRule(std::string_view path);

// One ignored or refused field that a config sets.
struct ConfigFinding {
  FieldSupport support = FieldSupport::kIgnored;
  std::string path;     // "instance_group.rate_limiter"
  std::string where;    // "models/x/config.pbtxt:12:5" (file only when the line is unknown)
  std::string message;  // "<where>: <path> is ignored: <why>"
};

// The ignored and refused fields `config` sets, in file order. `file_name` labels them;
// `locations` (the text parser's record of where each field was written) may be null, for a
// config given as JSON.
std::vector<ConfigFinding> CheckConfigFields(
    const ::inference::ModelConfig& config, std::string_view file_name,
    const google::protobuf::TextFormat::ParseInfoTree* locations);

// InvalidArgument listing every refused finding (one per line); OK when there is none.
Status RefusedFieldsStatus(const std::vector<ConfigFinding>& findings);

}  // namespace inferd::repository
