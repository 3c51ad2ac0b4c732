#include "repository/model_config.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace inferd::repository {
namespace {

// The text of 0-based line `line` of `text` (empty past the end).
std::string_view LineOf(std::string_view text, int line) {
  size_t start = 0;
  for (int i = 0; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const size_t end = text.find('\n', start);
  return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// Collects every parser error as "file:line:col: message". protobuf reports 0-based lines and
// columns; editors and compilers show 1-based ones, so we add one.
class CollectingErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  CollectingErrorCollector(std::string_view text, std::string_view file_name)
      : text_(text), file_name_(file_name) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    column = UnknownFieldColumn(line, column, message);
    errors_.push_back(absl::StrCat(file_name_, ":", line + 1, ":", column + 1, ": ", message));
  }
  // Warnings (e.g. deprecated fields) do not fail the load; they are not errors.
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  // protobuf reports an unknown field at the token after its name (the ':'); pointing at the name
  // itself is what a user looks for, so move back to it when it is on the same line.
  int UnknownFieldColumn(int line, int column, const std::string& message) const {
    static constexpr std::string_view kMarker = "has no field named \"";
    const size_t at = message.find(kMarker);
    if (at == std::string::npos) return column;
    const size_t begin = at + kMarker.size();
    const size_t end = message.find('"', begin);
    if (end == std::string::npos) return column;
    const std::string_view field = std::string_view(message).substr(begin, end - begin);
    const std::string_view text = LineOf(text_, line);
    const size_t limit = std::min(static_cast<size_t>(column) + field.size(), text.size());
    const size_t found = text.substr(0, limit).rfind(field);
    return found == std::string_view::npos ? column : static_cast<int>(found);
  }

  std::string_view text_;
  std::string file_name_;
  std::vector<std::string> errors_;
};

StatusOr<::inference::ModelConfig> ParseConfigTextWithTree(
    std::string_view text, std::string_view file_name,
    google::protobuf::TextFormat::ParseInfoTree* tree) {
  CollectingErrorCollector collector(text, file_name);
  google::protobuf::TextFormat::Parser parser;
  parser.WriteLocationsTo(tree);
  parser.RecordErrorsTo(&collector);
  // Unknown fields stay errors (the default): a typo must fail loudly, not be ignored.
  parser.AllowUnknownField(false);
  ::inference::ModelConfig config;
  if (!parser.ParseFromString(std::string(text), &config)) {
    if (collector.errors().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(file_name), ": invalid model configuration"));
    }
    return absl::InvalidArgumentError(absl::StrJoin(collector.errors(), "\n"));
  }
  return config;
}

std::vector<ConfigFinding> IgnoredOnly(std::vector<ConfigFinding> findings) {
  std::erase_if(findings,
                [](const ConfigFinding& f) { return f.support != FieldSupport::kIgnored; });
  return findings;
}

}  // namespace

StatusOr<::inference::ModelConfig> ParseConfigText(std::string_view text,
                                                   std::string_view file_name) {
  return ParseConfigTextWithTree(text, file_name, nullptr);
}

StatusOr<CheckedConfig> ParseCheckedConfigText(std::string_view text, std::string_view file_name) {
  google::protobuf::TextFormat::ParseInfoTree tree;
  ASSIGN_OR_RETURN(auto config, ParseConfigTextWithTree(text, file_name, &tree));
  auto findings = CheckConfigFields(config, file_name, &tree);
  RETURN_IF_ERROR(RefusedFieldsStatus(findings));
  return CheckedConfig{std::move(config), IgnoredOnly(std::move(findings))};
}

StatusOr<std::vector<ConfigFinding>> CheckConfig(const ::inference::ModelConfig& config,
                                                 std::string_view origin) {
  auto findings = CheckConfigFields(config, origin, nullptr);
  RETURN_IF_ERROR(RefusedFieldsStatus(findings));
  return IgnoredOnly(std::move(findings));
}

StatusOr<::inference::ModelConfig> ParseConfigJson(std::string_view json) {
  ::inference::ModelConfig config;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &config, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad model config JSON: ", std::string(status.message())));
  }
  return config;
}

StatusOr<::inference::ModelConfig> ParseConfigFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path.string(), ": no such file"));
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": not a regular file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": cannot be read"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::InvalidArgumentError(absl::StrCat(path.string(), ": read error"));
  }
  return ParseConfigText(text.str(), path.string());
}

}  // namespace inferd::repository
