// The exposition of the per-model and server families, byte for byte against a golden file
// (tests/testdata/metrics/exposition.txt): metric names, label sets, HELP and TYPE text, sample
// order and value formatting are part of inferd's interface (dashboards, alert rules, Triton's
// scrapers). A deliberate change regenerates the file with INFERD_UPDATE_GOLDEN=1 and is reviewed
// as a diff.
#include "server/metrics_exporter.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "metrics/registry.h"
#include "testing/fake_inference_service.h"
#include "testing/format_checker.h"

namespace inferd::server {
namespace {

const char kGolden[] = INFERD_SOURCE_DIR "/tests/testdata/metrics/exposition.txt";

// Two models with every figure distinct, so a swapped field shows in the diff.
class StatsService : public frontend::http::testing::FakeInferenceService {
 public:
  StatusOr<std::vector<core::ModelStatistics>> GetModelStatistics(std::string_view,
                                                                  int64_t) const override {
    return stats;
  }
  std::vector<core::ModelStatistics> stats;
};

core::HistogramSnapshot Histogram(std::vector<double> bounds, std::vector<uint64_t> counts,
                                  double sum) {
  return core::HistogramSnapshot{std::move(bounds), std::move(counts), sum};
}

core::ModelStatistics Model(const std::string& name, const std::string& version, uint64_t base) {
  core::ModelStatistics s;
  s.name = name;
  s.version = version;
  s.inference_count = base + 1;
  s.execution_count = base + 2;
  s.inference_stats.success = {base + 3, (base + 4) * 1000 + 999};  // ns: truncated to us
  s.inference_stats.queue = {base + 3, (base + 5) * 1000};
  s.inference_stats.compute_input = {base + 3, (base + 6) * 1000};
  s.inference_stats.compute_infer = {base + 3, (base + 7) * 1000};
  s.inference_stats.compute_output = {base + 3, (base + 8) * 1000};
  s.failures = {base + 9, base + 10, base + 11, base + 12};
  s.pending_request_count = static_cast<int64_t>(base) + 13;
  s.load_duration_secs = 0.25 + static_cast<double>(base);
  const std::vector<double> latency = {100, 2500.5};
  s.histograms.request_us = Histogram(latency, {base + 1, 2, 0}, 1234.5);
  s.histograms.queue_us = Histogram(latency, {3, base, 1}, 2600.25);
  // A sum that needs 17 significant digits to round-trip.
  s.histograms.compute_us = Histogram(latency, {0, 0, base + 4}, base == 0 ? 1e7 : 0.1 + 0.2);
  s.histograms.batch_size = Histogram({1, 2, 4}, {1, base, 0, 2}, 20);
  return s;
}

std::string Render() {
  StatsService service;
  service.stats = {Model("simple", "1", 0), Model("mlp", "3", 100)};
  service.index = {{"simple", "1", "READY", "", {}, {}},
                   {"mlp", "3", "READY", "", {}, {}},
                   {"broken", "1", "UNAVAILABLE", "bad", {}, {}}};
  auto store = MakeStatsStore(metrics::BucketConfig{});
  const size_t infer = store->http().IndexOf("infer");
  store->http().Increment(infer, 200);
  store->http().Increment(infer, 200);
  store->http().Increment(infer, 400);
  store->grpc().Increment(store->grpc().IndexOf("ModelInfer"), 0);
  store->grpc().Increment(store->grpc().IndexOf("ModelInfer"), 14);
  store->inflight().Add(2);
  metrics::Registry registry;
  registry.Add(ModelCollector(service));
  registry.Add(ServerCollector(*store));
  return registry.Render();
}

TEST(MetricsExporterTest, ExpositionMatchesTheGoldenFile) {
  const std::string text = Render();
  ASSERT_TRUE(metrics::ParseExposition(text).ok()) << text;
  if (std::getenv("INFERD_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(kGolden, std::ios::binary) << text;
  }
  std::ifstream in(kGolden, std::ios::binary);
  ASSERT_TRUE(in) << kGolden;
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(text, golden.str());
}

}  // namespace
}  // namespace inferd::server
