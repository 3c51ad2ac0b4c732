#include "server/check_repository.h"

#include <algorithm>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "backend/registry/builtin_backends.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "server/backend_config.h"
#include "server/server.h"

namespace inferd::server {
namespace {

std::string CellOrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string PadCell(const std::string& text, size_t width) {
  std::string out = text;
  out.resize(std::max(width, text.size()), ' ');
  return out;
}

std::string CheckSummary(const lifecycle::CheckReport& report, bool opened) {
  const auto failed = std::count_if(report.rows.begin(), report.rows.end(), [](const auto& row) {
    return row.verdict == lifecycle::CheckVerdict::kFail;
  });
  std::string summary = report.rows.empty()
                            ? "no models found\n"
                            : absl::StrCat(report.rows.size() - static_cast<size_t>(failed), " of ",
                                           report.rows.size(), " rows load; ", failed, " do not\n");
  if (!opened) {
    summary += "model files were found and read but not opened; --load opens them as serve does\n";
  }
  return summary;
}

}  // namespace

void AddCheckRepositoryOptions(CLI::App& command, CheckRepositoryOptions& options) {
  ServeOptions& repo = options.repository;
  command.add_option("repositories", repo.model_repositories, "Model repository folders");
  command.add_option("--model-repository,--model-store", repo.model_repositories,
                     "Model repository folder (repeatable; as serve)");
  command.add_flag("--load", options.load,
                   "Open every model with its backend and complete its config, as serve does "
                   "(creates runtime sessions; slower)");
  command.add_flag("--json", options.json, "Print the report as JSON");
  command.add_flag("--disable-auto-complete-config", repo.disable_auto_complete_config,
                   "As serve: configs are not completed from the model files");
  command.add_option("--backend-config", repo.backend_configs,
                     "As serve: <backend>,<setting>=<value> or <setting>=<value> (repeatable)");
  command
      .add_option("--max-instances-per-model", repo.max_instances_per_model,
                  "As serve: most instances one model may have (0 = 4 x cores)")
      ->check(CLI::Range(0, 4096));
  command.add_flag("--allow-repository-symlinks", repo.allow_repository_symlinks,
                   "As serve: follow symbolic links that lead out of the repository");
}

std::string FormatCheckTable(const lifecycle::CheckReport& report, bool opened) {
  std::vector<std::vector<std::string>> cells = {{"MODEL", "VERSION", "BACKEND", "STATUS"}};
  for (const auto& row : report.rows) {
    cells.push_back({row.model, CellOrDash(row.version), CellOrDash(row.backend),
                     lifecycle::CheckVerdictName(row.verdict)});
  }
  std::vector<size_t> widths(4, 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  std::string out;
  std::string indent;
  for (size_t i = 0; i < 4; ++i) indent += std::string(widths[i] + 2, ' ');
  for (size_t r = 0; r < cells.size(); ++r) {
    for (size_t i = 0; i < 4; ++i) out += PadCell(cells[r][i], widths[i] + 2);
    if (r == 0) {
      out += "REASON\n";
      continue;
    }
    const auto& reasons = report.rows[r - 1].reasons;
    out += reasons.empty() ? "" : reasons.front();
    out += "\n";
    for (size_t k = 1; k < reasons.size(); ++k) out += indent + reasons[k] + "\n";
  }
  return out + CheckSummary(report, opened);
}

std::string FormatCheckJson(const lifecycle::CheckReport& report, bool opened) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> json(buffer);
  json.StartObject();
  json.Key("ok");
  json.Bool(report.AllLoad());
  json.Key("opened");
  json.Bool(opened);
  json.Key("models");
  json.StartArray();
  for (const auto& row : report.rows) {
    json.StartObject();
    json.Key("name");
    json.String(row.model.c_str());
    json.Key("version");
    json.String(row.version.c_str());
    json.Key("backend");
    json.String(row.backend.c_str());
    json.Key("status");
    json.String(lifecycle::CheckVerdictName(row.verdict));
    json.Key("reasons");
    json.StartArray();
    for (const auto& reason : row.reasons) json.String(reason.c_str());
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

int RunCheckRepository(const CheckRepositoryOptions& options) {
  if (options.repository.model_repositories.empty()) {
    std::fprintf(stderr, "inferd check-repository: name at least one model repository folder\n");
    return 2;
  }
  auto backend_config = ParseBackendConfigs(options.repository.backend_configs);
  if (!backend_config.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(backend_config.status().message()).c_str());
    return 2;
  }
  backend::BackendRegistry backends;
  if (Status s = backend::RegisterBuiltinBackends(backends); !s.ok()) {
    std::fprintf(stderr, "inferd: cannot register the backends: %s\n",
                 std::string(s.message()).c_str());
    return 2;
  }
  for (const auto& warning : BackendConfigWarnings(*backend_config, backends)) {
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  }
  const auto manager_options = RepositoryManagerOptions(options.repository, *backend_config);
  auto report = lifecycle::CheckRepositories(backends, manager_options, options.load);
  if (!report.ok()) {
    std::fprintf(stderr, "inferd: %s\n", std::string(report.status().message()).c_str());
    return 2;
  }
  const std::string text = options.json ? FormatCheckJson(*report, options.load)
                                        : FormatCheckTable(*report, options.load);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return report->AllLoad() ? 0 : 1;
}

}  // namespace inferd::server
