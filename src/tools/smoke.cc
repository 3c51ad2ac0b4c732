#include "tools/smoke.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/http_client.h"
#include "client/http_codec.h"
#include "client/inference_client.h"
#include "tools/input_data.h"
#include "tools/output_compare.h"
#include "tools/perf_stats.h"

namespace inferd::tools {
namespace {

using Clock = std::chrono::steady_clock;

struct Check {
  std::string name;
  bool passed = false;
  std::string detail;
};

struct Report {
  std::string health = "not checked";
  int count = 0;
  int errors = 0;
  std::string first_error;
  double p50_ms = 0, p95_ms = 0;
  std::optional<client::Prediction> top;  // image input: the first answer's best class
  std::string compare_target;             // empty: no comparison
  int compare_errors = 0;
  std::vector<OutputComparison> comparisons;
  std::vector<Check> checks;
};

client::ClientOptions OptionsFor(const SmokeOptions& o, const std::string& url) {
  client::ClientOptions options;
  options.url = url;
  options.tls = o.tls;
  options.request_timeout = std::chrono::milliseconds(o.request_timeout_ms);
  options.connect_timeout = std::min(options.connect_timeout, options.request_timeout);
  return options;
}

StatusOr<std::unique_ptr<client::InferenceClient>> Connect(const SmokeOptions& o,
                                                           const std::string& url) {
  ASSIGN_OR_RETURN(auto protocol, client::ParseProtocol(o.protocol));
  return client::CreateClient(protocol, OptionsFor(o, url));
}

// "" when healthy, else what is wrong.
std::string HealthProblem(client::InferenceClient& c, const SmokeOptions& o) {
  auto live = c.IsServerLive();
  if (!live.ok()) return absl::StrCat("server unreachable: ", live.status().message());
  if (!*live) return "server not live";
  auto ready = c.IsModelReady(o.model, o.version);
  if (!ready.ok()) return absl::StrCat("model readiness: ", ready.status().message());
  if (!*ready) return absl::StrCat("model '", o.model, "' is not ready (or does not exist)");
  return "";
}

StatusOr<std::vector<Sample>> MakeSamples(client::InferenceClient& c, const SmokeOptions& o) {
  ASSIGN_OR_RETURN(auto metadata, c.GetModelMetadata(o.model, o.version));
  ASSIGN_OR_RETURN(auto config, c.GetModelConfig(o.model, o.version));
  ASSIGN_OR_RETURN(auto specs, ResolveInputs(metadata, config.max_batch_size, 1, {}));
  if (!o.input_file.empty()) return LoadSamples(o.input_file, specs);
  return RandomSamples(specs, o.count, o.seed);
}

// Calls `call(i)` for i < count, timing each; fills the report's count, errors, p50 and p95.
// The results (nullopt for failures) are kept for the comparison.
template <typename Call>
auto TimedRuns(int count, Call call, Report& report) {
  using Result = typename std::invoke_result_t<Call, int>::value_type;
  std::vector<std::optional<Result>> results;
  std::vector<int64_t> latencies;
  for (int i = 0; i < count; ++i) {
    const auto start = Clock::now();
    auto result = call(i);
    const int64_t ns = (Clock::now() - start).count();
    if (result.ok()) {
      latencies.push_back(ns);
      results.emplace_back(*std::move(result));
    } else {
      if (report.errors++ == 0) report.first_error = result.status().ToString();
      results.emplace_back(std::nullopt);
    }
  }
  std::sort(latencies.begin(), latencies.end());
  report.count = count;
  report.p50_ms = Percentile(latencies, 50) / 1e6;
  report.p95_ms = Percentile(latencies, 95) / 1e6;
  return results;
}

// Runs the N inferences.
std::vector<std::optional<client::InferResult>> RunInferences(client::InferenceClient& c,
                                                              const client::InferOptions& infer,
                                                              const std::vector<Sample>& samples,
                                                              int count, Report& report) {
  return TimedRuns(
      count,
      [&](int i) { return c.Infer(infer, samples[static_cast<size_t>(i) % samples.size()]); },
      report);
}

Status Compare(const SmokeOptions& o, client::InferenceClient& primary,
               const std::vector<Sample>& samples,
               const std::vector<std::optional<client::InferResult>>& baseline, Report& report) {
  std::unique_ptr<client::InferenceClient> other;
  if (!o.compare_url.empty()) {
    ASSIGN_OR_RETURN(other, Connect(o, o.compare_url));
  }
  client::InferenceClient& target = other ? *other : primary;
  client::InferOptions infer(o.model);
  infer.model_version = o.compare_version.empty() ? o.version : o.compare_version;
  report.compare_target =
      absl::StrCat(o.compare_url.empty() ? o.url : o.compare_url, " version ",
                   infer.model_version.empty() ? "latest" : infer.model_version);
  OutputComparer comparer;
  for (size_t i = 0; i < baseline.size(); ++i) {
    if (!baseline[i].has_value()) continue;
    auto result = target.Infer(infer, samples[i % samples.size()]);
    if (!result.ok()) {
      if (report.compare_errors++ == 0) report.first_error = result.status().ToString();
      continue;
    }
    comparer.Add(*baseline[i], *result);
  }
  report.comparisons = comparer.Results();
  return absl::OkStatus();
}

// --- Image input: the server's image endpoint, POST /predict/{model}[/versions/{v}] ---

using PredictResults = std::vector<std::optional<client::PredictResult>>;

// A 200 without predictions is a failure too: the endpoint must classify.
StatusOr<client::PredictResult> Predict(client::HttpClient& c, const SmokeOptions& o,
                                        const std::string& version, const std::string& image) {
  ASSIGN_OR_RETURN(auto result, c.Predict(o.model, version, image));
  if (result.predictions.empty()) return absl::InternalError("the answer has no predictions");
  return result;
}

PredictResults RunPredictions(client::HttpClient& c, const SmokeOptions& o,
                              const std::string& image, Report& report) {
  return TimedRuns(
      o.count, [&](int) { return Predict(c, o, o.version, image); }, report);
}

// Top-1 agreement of the best class, and the largest score difference over the classes both
// answers list (a pipeline's top_k may list different classes on each side).
void AddPredictions(const client::PredictResult& a, const client::PredictResult& b,
                    OutputComparison& c) {
  ++c.rows;
  if (a.predictions[0].index == b.predictions[0].index) ++c.agreed;
  for (const auto& pa : a.predictions) {
    for (const auto& pb : b.predictions) {
      if (pa.index == pb.index)
        c.max_abs_diff = std::max(c.max_abs_diff, std::abs(pa.score - pb.score));
    }
  }
}

void ComparePredictions(const SmokeOptions& o, client::HttpClient& primary,
                        const std::string& image, const PredictResults& baseline, Report& report) {
  std::unique_ptr<client::HttpClient> other;
  if (!o.compare_url.empty()) {
    other = std::make_unique<client::HttpClient>(OptionsFor(o, o.compare_url));
  }
  client::HttpClient& target = other ? *other : primary;
  const std::string version = o.compare_version.empty() ? o.version : o.compare_version;
  report.compare_target = absl::StrCat(o.compare_url.empty() ? o.url : o.compare_url, " version ",
                                       version.empty() ? "latest" : version);
  OutputComparison comparison;
  comparison.name = "predictions";
  comparison.classification = true;
  for (const auto& base : baseline) {
    if (!base.has_value()) continue;
    auto result = Predict(target, o, version, image);
    if (!result.ok()) {
      if (report.compare_errors++ == 0) report.first_error = result.status().ToString();
      continue;
    }
    AddPredictions(*base, *result, comparison);
  }
  report.comparisons.push_back(std::move(comparison));
}

// The image smoke test after the health check: one prediction proves the model declares a
// pipeline that accepts the image (check "image-pipeline"), then the N timed ones. False when
// that first prediction failed (no further check means anything then).
bool RunImageSmoke(const SmokeOptions& o, const std::string& image, Report& report) {
  client::HttpClient c(OptionsFor(o, o.url));
  auto first = Predict(c, o, o.version, image);
  if (!first.ok()) {
    report.checks.push_back({"image-pipeline", false,
                             absl::StrCat("POST ", client::PredictTarget(o.model, o.version), ": ",
                                          first.status().message())});
    return false;
  }
  report.top = first->predictions[0];
  report.checks.push_back(
      {"image-pipeline", true, absl::StrCat("model '", o.model, "' classifies the image")});
  auto results = RunPredictions(c, o, image, report);
  if (!o.compare_version.empty() || !o.compare_url.empty()) {
    ComparePredictions(o, c, image, results, report);
  }
  return true;
}

void AddChecks(const SmokeOptions& o, Report& r) {
  const double error_rate = r.count == 0 ? 0 : static_cast<double>(r.errors) / r.count;
  r.checks.push_back({"error-rate", error_rate <= o.max_error_rate,
                      absl::StrFormat("%.3f (limit %.3f)%s", error_rate, o.max_error_rate,
                                      r.first_error.empty() ? "" : "; " + r.first_error)});
  if (o.sla_p95_ms > 0) {
    const bool any = r.errors < r.count;
    r.checks.push_back({"sla-p95", any && r.p95_ms <= o.sla_p95_ms,
                        absl::StrFormat("p95 %.3f ms (limit %g ms)", r.p95_ms, o.sla_p95_ms)});
  }
  if (r.compare_target.empty()) return;
  r.checks.push_back({"compare-errors", r.compare_errors == 0,
                      absl::StrCat(r.compare_errors, " failed inferences on ", r.compare_target)});
  for (const auto& c : r.comparisons) {
    if (!c.mismatch.empty()) {
      r.checks.push_back({"compare-" + c.name, false, c.mismatch});
      continue;
    }
    if (o.max_abs_diff >= 0) {
      r.checks.push_back({"compare-max-abs-diff-" + c.name, c.max_abs_diff <= o.max_abs_diff,
                          absl::StrFormat("%g (limit %g)", c.max_abs_diff, o.max_abs_diff)});
    }
    if (c.classification && c.rows > 0) {
      const double agreement = static_cast<double>(c.agreed) / c.rows;
      r.checks.push_back(
          {"compare-top1-" + c.name, agreement >= o.min_top1_agreement,
           absl::StrFormat("%.3f of %d (limit %.3f)", agreement, c.rows, o.min_top1_agreement)});
    }
  }
}

void PrintText(const SmokeOptions& o, const Report& r) {
  std::cout << "inferd smoke: " << o.url << " (" << o.protocol << "), model " << o.model
            << (o.version.empty() ? "" : " version " + o.version) << "\n"
            << "  health: " << r.health << "\n";
  if (r.count > 0) {
    std::cout << absl::StrFormat("  inferences: %d, succeeded %d (%.1f%%)\n", r.count,
                                 r.count - r.errors, 100.0 * (r.count - r.errors) / r.count)
              << absl::StrFormat("  latency: p50 %.3f ms, p95 %.3f ms\n", r.p50_ms, r.p95_ms);
  }
  if (r.top.has_value()) {
    std::cout << absl::StrFormat("  top-1: %s (index %d, score %g)\n", r.top->label, r.top->index,
                                 r.top->score);
  }
  if (!r.compare_target.empty()) {
    std::cout << "  compared with " << r.compare_target << ":\n";
    for (const auto& c : r.comparisons) {
      std::cout << absl::StrFormat("    %s: max abs diff %g", c.name, c.max_abs_diff);
      if (c.classification) {
        std::cout << absl::StrFormat(", top-1 agreement %d/%d", c.agreed, c.rows);
      }
      std::cout << (c.mismatch.empty() ? "" : ", " + c.mismatch) << "\n";
    }
  }
  for (const auto& c : r.checks) {
    std::cout << "  check " << c.name << ": " << (c.passed ? "PASS" : "FAIL") << " (" << c.detail
              << ")\n";
  }
  for (const auto& c : r.checks) {
    if (!c.passed) {
      std::cout << "FAILED: " << c.name << ": " << c.detail << "\n";
      return;
    }
  }
  std::cout << "PASSED\n";
}

void PrintJson(const Report& r) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&](const std::string& s) { w.String(s.c_str(), static_cast<unsigned>(s.size())); };
  const Check* failed = nullptr;
  for (const auto& c : r.checks) {
    if (!c.passed && failed == nullptr) failed = &c;
  }
  w.StartObject();
  w.Key("passed");
  w.Bool(failed == nullptr);
  w.Key("failed_check");
  if (failed != nullptr) {
    str(failed->name);
  } else {
    w.Null();
  }
  w.Key("health");
  str(r.health);
  w.Key("inferences");
  w.Int(r.count);
  w.Key("errors");
  w.Int(r.errors);
  w.Key("success_rate");
  w.Double(r.count == 0 ? 0 : static_cast<double>(r.count - r.errors) / r.count);
  w.Key("p50_ms");
  w.Double(r.p50_ms);
  w.Key("p95_ms");
  w.Double(r.p95_ms);
  if (r.top.has_value()) {
    w.Key("top_prediction");
    w.StartObject();
    w.Key("label");
    str(r.top->label);
    w.Key("index");
    w.Int64(r.top->index);
    w.Key("score");
    w.Double(r.top->score);
    w.EndObject();
  }
  w.Key("comparisons");
  w.StartArray();
  for (const auto& c : r.comparisons) {
    w.StartObject();
    w.Key("output");
    str(c.name);
    w.Key("max_abs_diff");
    w.Double(std::isinf(c.max_abs_diff) ? 1e308 : c.max_abs_diff);
    if (c.classification) {
      w.Key("top1_agreement");
      w.Double(c.rows == 0 ? 0 : static_cast<double>(c.agreed) / c.rows);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("checks");
  w.StartArray();
  for (const auto& c : r.checks) {
    w.StartObject();
    w.Key("name");
    str(c.name);
    w.Key("passed");
    w.Bool(c.passed);
    w.Key("detail");
    str(c.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::cout << buffer.GetString() << "\n";
}

int Finish(const SmokeOptions& o, const Report& r) {
  if (o.json) {
    PrintJson(r);
  } else {
    PrintText(o, r);
  }
  for (const auto& c : r.checks) {
    if (!c.passed) return 1;
  }
  return 0;
}

}  // namespace

int RunSmoke(const SmokeOptions& o) {
  std::string image;  // non-empty: the input file is an image, sent to POST /predict
  if (!o.input_file.empty()) {
    auto bytes = ReadInputFile(o.input_file);
    if (!bytes.ok()) {
      std::cerr << "inferd smoke: " << bytes.status().message() << "\n";
      return 2;
    }
    if (IsImage(*bytes)) image = *std::move(bytes);
  }
  if (!image.empty() && o.protocol != "http") {
    std::cerr << "inferd smoke: " << o.input_file
              << " is an image: images go to the HTTP image endpoint (POST /predict/{model}), "
                 "which gRPC does not have; use -i http\n";
    return 2;
  }
  auto c = Connect(o, o.url);
  if (!c.ok()) {
    std::cerr << "inferd smoke: " << c.status().message() << "\n";
    return 2;
  }
  Report report;
  const std::string problem = HealthProblem(**c, o);
  report.health = problem.empty() ? "OK (server live, model ready)" : problem;
  report.checks.push_back({"health", problem.empty(), report.health});
  if (!problem.empty()) return Finish(o, report);
  if (!image.empty()) {
    if (RunImageSmoke(o, image, report)) AddChecks(o, report);
    return Finish(o, report);
  }
  auto samples = MakeSamples(**c, o);
  if (!samples.ok()) {
    std::cerr << "inferd smoke: " << samples.status().message() << "\n";
    return 2;
  }
  client::InferOptions infer(o.model);
  infer.model_version = o.version;
  auto results = RunInferences(**c, infer, *samples, o.count, report);
  if (!o.compare_version.empty() || !o.compare_url.empty()) {
    if (Status s = Compare(o, **c, *samples, results, report); !s.ok()) {
      report.checks.push_back({"compare", false, std::string(s.message())});
    }
  }
  AddChecks(o, report);
  return Finish(o, report);
}

}  // namespace inferd::tools
