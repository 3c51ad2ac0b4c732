// The console's HTML (GET /console), rendered on the server so that the model list reads without
// JavaScript (curl, text browsers): every model version with its state, the reason a load
// failed, sha256, platform, inputs and outputs, the figures since load, load/unload/reload
// forms and an upload form for models with an image pipeline. console.js (embedded beside it)
// then refreshes the figures every 2 s and sends the restricted APIs' keys the user entered.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/inference_service.h"
#include "core/model_statistics.h"

namespace inferd::frontend::http {

struct ConsoleRow {
  core::RepositoryEntry entry;
  std::optional<core::ModelMetadata> metadata;  // ready versions
  std::optional<core::ModelStatistics> stats;   // ready versions, when statistics are readable
};

// A restricted API the console calls: the header its key goes in (never the key itself).
struct ConsoleKey {
  std::string header;
  std::string categories;  // "model-repository, statistics"
};

struct ConsoleView {
  std::string server_name;
  std::string server_version;
  std::vector<ConsoleRow> rows;  // repository index order
  // False when the repository index is restricted and the request lacks its key: only ready
  // versions are listed, without failure reasons.
  bool index_readable = true;
  bool stats_readable = true;
  std::vector<ConsoleKey> keys;
};

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);
// Percent-encodes everything but unreserved characters, for one URL path segment.
std::string PathSegmentEncode(std::string_view text);
// "1.25 ms", "830 µs", "2.4 s"; "—" for nullopt.
std::string FormatMicros(std::optional<double> micros);

std::string RenderConsolePage(const ConsoleView& view);

}  // namespace inferd::frontend::http
