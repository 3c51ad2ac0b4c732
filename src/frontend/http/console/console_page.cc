#include "frontend/http/console/console_page.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "core/data_type.h"
#include "core/shape.h"
#include "frontend/http/console/console_stats.h"

namespace inferd::frontend::http {
namespace {

std::string ShortSha(const std::string& sha) {
  return sha.size() > 12 ? sha.substr(0, 12) + "\xE2\x80\xA6" : sha;  // "…"
}

void AppendTensors(std::string& out, const std::vector<core::TensorSpec>& tensors) {
  out += "<ul class=\"tensors\">";
  for (const auto& t : tensors) {
    absl::StrAppend(&out, "<li>", HtmlEscape(t.name), " <span>", core::DataTypeName(t.dtype), " ",
                    HtmlEscape(core::ShapeToString(t.dims)), "</span></li>");
  }
  out += "</ul>";
}

std::string FormatPercent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "\xE2\x80\x94";
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

// The figures since load; console.js replaces them with the last 2 s.
void AppendFigures(std::string& out, const std::optional<core::ModelStatistics>& stats) {
  std::optional<double> p50, p95, queue;
  std::string errors = "\xE2\x80\x94";
  std::string requests = "no statistics";
  if (stats.has_value()) {
    const core::InferStatistics& s = stats->inference_stats;
    p50 = HistogramQuantile(stats->histograms.request_us, 0.5);
    p95 = HistogramQuantile(stats->histograms.request_us, 0.95);
    if (s.queue.count > 0) {
      queue = static_cast<double>(s.queue.ns) / static_cast<double>(s.queue.count) / 1000.0;
    }
    errors = FormatPercent(s.fail.count, s.success.count + s.fail.count);
    requests = absl::StrCat(s.success.count, " succeeded, ", s.fail.count, " failed since load");
  }
  absl::StrAppend(&out, "<td class=\"num\" data-f=\"rps\" title=\"", HtmlEscape(requests),
                  "\">\xE2\x80\x94</td>");
  absl::StrAppend(&out, "<td class=\"num\" data-f=\"p50\">", FormatMicros(p50), "</td>");
  absl::StrAppend(&out, "<td class=\"num\" data-f=\"p95\">", FormatMicros(p95), "</td>");
  absl::StrAppend(&out, "<td class=\"num\" data-f=\"queue\">", FormatMicros(queue), "</td>");
  absl::StrAppend(&out, "<td class=\"num\" data-f=\"errors\">", errors, "</td>");
}

void AppendActions(std::string& out, const std::string& model, bool ready) {
  const std::string base = "/v2/repository/models/" + PathSegmentEncode(model);
  const std::string name = HtmlEscape(model);
  const auto form = [&](const char* verb, const char* label) {
    absl::StrAppend(&out, "<form class=\"action\" method=\"post\" action=\"", HtmlEscape(base), "/",
                    verb, "\"><button type=\"submit\" data-model=\"", name, "\">", label,
                    "</button></form>");
  };
  if (ready) {
    form("load", "Reload");
    form("unload", "Unload");
  } else {
    form("load", "Load");
  }
}

void AppendRow(std::string& out, const ConsoleRow& row, bool first_of_model) {
  const core::RepositoryEntry& e = row.entry;
  // Never loaded (explicit control mode): listed by name with no state, as Triton does.
  const std::string state = e.state.empty() ? "NOT LOADED" : e.state;
  const std::string state_class = e.state.empty() ? "none" : e.state;
  absl::StrAppend(&out, "<tr data-model=\"", HtmlEscape(e.name), "\" data-version=\"",
                  HtmlEscape(e.version), "\">");
  absl::StrAppend(&out, "<td>", first_of_model ? HtmlEscape(e.name) : "", "</td>");
  absl::StrAppend(&out, "<td>", e.version.empty() ? "\xE2\x80\x94" : HtmlEscape(e.version),
                  "</td>");
  absl::StrAppend(&out, "<td><span class=\"state ", HtmlEscape(state_class), "\">",
                  HtmlEscape(state), "</span>");
  if (!e.reason.empty()) {
    absl::StrAppend(&out, "<div class=\"reason\">", HtmlEscape(e.reason), "</div>");
  }
  out += "</td>";
  if (row.metadata.has_value()) {
    absl::StrAppend(&out, "<td>", HtmlEscape(row.metadata->platform), "</td><td>");
    AppendTensors(out, row.metadata->inputs);
    out += "</td><td>";
    AppendTensors(out, row.metadata->outputs);
    out += "</td>";
  } else {
    out += "<td></td><td></td><td></td>";
  }
  absl::StrAppend(&out, "<td><code title=\"", HtmlEscape(e.model_sha256), "\">",
                  HtmlEscape(ShortSha(e.model_sha256)), "</code></td>");
  AppendFigures(out, row.stats);
  out += "<td>";
  if (first_of_model) AppendActions(out, e.name, state == "READY");
  out += "</td></tr>\n";
}

void AppendKeys(std::string& out, const std::vector<ConsoleKey>& keys) {
  if (keys.empty()) return;
  out +=
      "<section><h2>Restricted APIs</h2><p>Some of the calls this page makes need a key. It is "
      "kept in this tab only (session storage) and sent as the header named.</p>"
      "<form id=\"keys\">";
  for (const ConsoleKey& key : keys) {
    const std::string header = HtmlEscape(key.header);
    absl::StrAppend(&out, "<label><code>", header, "</code> <small>(", HtmlEscape(key.categories),
                    ")</small> <input type=\"password\" autocomplete=\"off\" data-header=\"",
                    header, "\"></label>");
  }
  out += "</form></section>\n";
}

void AppendUploads(std::string& out, const std::vector<ConsoleRow>& rows) {
  bool any = false;
  for (const ConsoleRow& row : rows) {
    if (!row.metadata.has_value() || !row.metadata->image_input) continue;
    if (!any) {
      out +=
          "<section id=\"uploads\"><h2>Classify an image</h2><p>Models with an image pipeline take "
          "a JPEG or "
          "PNG and answer their top classes.</p>";
      any = true;
    }
    const std::string model = HtmlEscape(row.entry.name);
    const std::string version = HtmlEscape(row.entry.version);
    absl::StrAppend(&out, "<form class=\"predict\" method=\"post\" action=\"/predict/",
                    HtmlEscape(PathSegmentEncode(row.entry.name)), "/versions/", version,
                    "\" enctype=\"multipart/form-data\" data-model=\"", model, "\"><label>", model,
                    " v", version,
                    " <input type=\"file\" name=\"file\" accept=\"image/*\" required></label> "
                    "<button type=\"submit\">Classify</button><output></output></form>\n");
  }
  if (any) out += "</section>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PathSegmentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string FormatMicros(std::optional<double> micros) {
  if (!micros.has_value()) return "\xE2\x80\x94";
  char text[32];
  if (*micros >= 1e6) {
    std::snprintf(text, sizeof(text), "%.2f s", *micros / 1e6);
  } else if (*micros >= 1e3) {
    std::snprintf(text, sizeof(text), "%.2f ms", *micros / 1e3);
  } else {
    std::snprintf(text, sizeof(text), "%.0f \xC2\xB5s", *micros);
  }
  return text;
}

std::string RenderConsolePage(const ConsoleView& view) {
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>inferd console</title><link rel=\"icon\" href=\"data:,\">"
      "<link rel=\"stylesheet\" href=\"/console/console.css\">"
      "<script src=\"/console/console.js\" defer></script></head>\n<body><header><h1>inferd "
      "console</h1><p>";
  absl::StrAppend(&out, HtmlEscape(view.server_name), " ", HtmlEscape(view.server_version),
                  " &middot; <span id=\"live\">",
                  view.stats_readable ? "figures since load" : "statistics are restricted",
                  "</span></p></header>\n<main>\n");
  AppendKeys(out, view.keys);
  out += "<section><h2>Models</h2>";
  if (!view.index_readable) {
    out +=
        "<p class=\"note\" id=\"index-note\">The repository index is restricted: only ready "
        "versions are listed "
        "until its key is entered (with JavaScript).</p>";
  }
  out +=
      "<table id=\"models\"><thead><tr><th>Model</th><th>Version</th><th>State</th>"
      "<th>Platform</th><th>Inputs</th><th>Outputs</th><th>sha256</th><th>req/s</th>"
      "<th>p50</th><th>p95</th><th>Queue</th><th>Errors</th><th>Actions</th></tr></thead>\n"
      "<tbody>\n";
  const std::string* previous = nullptr;
  for (const ConsoleRow& row : view.rows) {
    AppendRow(out, row, previous == nullptr || *previous != row.entry.name);
    previous = &row.entry.name;
  }
  if (view.rows.empty()) out += "<tr><td colspan=\"13\">No models.</td></tr>\n";
  out +=
      "</tbody></table><p id=\"result\" role=\"status\"></p>"
      "<p class=\"note\">Latency: received to answered, successful requests; queue: mean time "
      "in the scheduler queue; errors: failed share of requests. Without JavaScript the "
      "figures are since load.</p></section>\n";
  AppendUploads(out, view.rows);
  out += "</main></body></html>\n";
  return out;
}

}  // namespace inferd::frontend::http
