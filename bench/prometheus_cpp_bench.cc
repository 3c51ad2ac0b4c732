// prometheus-cpp 1.0.1 (Debian's prometheus-cpp-dev, what Triton links) against inferd's own
// metrics code, on the two paths that matter (docs/adr/0006-stats-store.md records the figures):
//  - the request path: one counter increment and one histogram observation, labels resolved up
//    front (prometheus::Family::Add once, as a server would at model load), on 1 and 2 threads
//    updating the same series;
//  - the scrape: the text exposition of ~20 models' per-model families (10 counters/gauges, the
//    failure counter with 4 reasons, 4 histograms of 15 or 9 buckets), from the live counters to
//    the finished text.
#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/metric_family.h"
#include "metrics/status_counters.h"
#include "metrics/text_format.h"
#include "scheduler/stats_recorder.h"

namespace {

using std::chrono::microseconds;
namespace im = inferd::metrics;

constexpr int kModels = 20;
const char* const kCounters[] = {"nv_inference_request_success",
                                 "nv_inference_count",
                                 "nv_inference_exec_count",
                                 "nv_inference_request_duration_us",
                                 "nv_inference_queue_duration_us",
                                 "nv_inference_compute_input_duration_us",
                                 "nv_inference_compute_infer_duration_us",
                                 "nv_inference_compute_output_duration_us"};
const char* const kGauges[] = {"nv_inference_pending_request_count", "nv_model_load_duration_secs"};
const char* const kHistograms[] = {
    "nv_inference_request_histogram_us", "nv_inference_queue_histogram_us",
    "nv_inference_compute_histogram_us", "nv_inference_batch_size_histogram"};
const char* const kReasons[] = {"REJECTED", "CANCELED", "BACKEND", "OTHER"};

std::string ModelName(int i) { return "model_" + std::to_string(i); }

// ---- request path ----

void BM_Inferd_CounterIncrement(benchmark::State& state) {
  static im::StatusCounters counters({"infer", "other"}, 599);
  for (auto _ : state) counters.Increment(0, 200);
}
BENCHMARK(BM_Inferd_CounterIncrement)->Threads(1)->Threads(2);

void BM_Prom_CounterIncrement(benchmark::State& state) {
  static auto registry = std::make_shared<prometheus::Registry>();
  static prometheus::Counter& counter = prometheus::BuildCounter()
                                            .Name("nv_http_request_count")
                                            .Help("h")
                                            .Register(*registry)
                                            .Add({{"endpoint", "infer"}, {"code", "200"}});
  for (auto _ : state) counter.Increment();
}
BENCHMARK(BM_Prom_CounterIncrement)->Threads(1)->Threads(2);

void BM_Inferd_HistogramObserve(benchmark::State& state) {
  static im::Histogram h(im::BucketConfig{}.latency_us);
  double v = 0;
  for (auto _ : state) {
    h.Observe(v);
    v = v > 6e6 ? 0 : v + 997;
  }
}
BENCHMARK(BM_Inferd_HistogramObserve)->Threads(1)->Threads(2);

void BM_Prom_HistogramObserve(benchmark::State& state) {
  static auto registry = std::make_shared<prometheus::Registry>();
  static prometheus::Histogram& h =
      prometheus::BuildHistogram()
          .Name("nv_inference_request_histogram_us")
          .Help("h")
          .Register(*registry)
          .Add({{"model", "m"}, {"version", "1"}},
               prometheus::Histogram::BucketBoundaries(im::BucketConfig{}.latency_us));
  double v = 0;
  for (auto _ : state) {
    h.Observe(v);
    v = v > 6e6 ? 0 : v + 997;
  }
}
BENCHMARK(BM_Prom_HistogramObserve)->Threads(1)->Threads(2);

// A whole successful request's statistics (5 duration counters with counts, 3 histograms), as
// StatsRecorder records it, and the same work on prometheus-cpp series.
void BM_Inferd_RecordSuccess(benchmark::State& state) {
  static inferd::scheduler::StatsRecorder recorder("m", 1, 8, im::BucketConfig{});
  int64_t i = 0;
  for (auto _ : state) {
    recorder.RecordSuccess(microseconds(80 + (i & 63)), microseconds(5), microseconds(1),
                           microseconds(40), microseconds(2));
    ++i;
  }
}
BENCHMARK(BM_Inferd_RecordSuccess)->Threads(1)->Threads(2);

struct PromModel {
  explicit PromModel(prometheus::Registry& registry) {
    const prometheus::Labels labels = {{"model", "m"}, {"version", "1"}};
    for (const char* name : kCounters) {
      counters.push_back(
          &prometheus::BuildCounter().Name(name).Help("h").Register(registry).Add(labels));
    }
    const std::vector<double> buckets = im::BucketConfig{}.latency_us;
    for (int h = 0; h < 3; ++h) {
      histograms.push_back(&prometheus::BuildHistogram()
                                .Name(kHistograms[h])
                                .Help("h")
                                .Register(registry)
                                .Add(labels, buckets));
    }
  }
  std::vector<prometheus::Counter*> counters;
  std::vector<prometheus::Histogram*> histograms;
};

void BM_Prom_RecordSuccess(benchmark::State& state) {
  static auto registry = std::make_shared<prometheus::Registry>();
  static PromModel model(*registry);
  int64_t i = 0;
  for (auto _ : state) {
    const double request = static_cast<double>(80 + (i & 63));
    model.counters[0]->Increment();         // success count
    model.counters[3]->Increment(request);  // request duration
    model.counters[4]->Increment(5);        // queue
    model.counters[5]->Increment(1);        // compute input
    model.counters[6]->Increment(40);       // compute infer
    model.counters[7]->Increment(2);        // compute output
    model.histograms[0]->Observe(request);  // request histogram
    model.histograms[1]->Observe(5);        // queue histogram
    model.histograms[2]->Observe(43);       // compute histogram
    ++i;
  }
}
BENCHMARK(BM_Prom_RecordSuccess)->Threads(1)->Threads(2);

// ---- scrape ----

struct InferdModels {
  InferdModels() {
    for (int m = 0; m < kModels; ++m) {
      recorders.push_back(std::make_unique<inferd::scheduler::StatsRecorder>(ModelName(m), 1, 8,
                                                                             im::BucketConfig{}));
      for (int i = 0; i < 100; ++i) {
        recorders.back()->RecordSuccess(microseconds(80 + i * 37), microseconds(5 + i),
                                        microseconds(1), microseconds(40 + i), microseconds(2));
        recorders.back()->RecordExecution(1 + i % 8, microseconds(1), microseconds(40),
                                          microseconds(2));
      }
    }
  }
  std::vector<std::unique_ptr<inferd::scheduler::StatsRecorder>> recorders;
};

im::Labels ModelLabels(const inferd::core::ModelStatistics& s) {
  return {{"model", s.name}, {"version", s.version}};
}

im::HistogramValue ToValue(const inferd::core::HistogramSnapshot& h) {
  return im::HistogramValue{h.bounds, h.counts, h.sum};
}

// The shape server/metrics_exporter builds: snapshot every model, one family per figure.
std::string InferdScrape(const InferdModels& models) {
  std::vector<inferd::core::ModelStatistics> stats;
  for (const auto& r : models.recorders) stats.push_back(r->Snapshot());
  std::vector<im::MetricFamily> out;
  for (const char* name : kCounters) {
    out.push_back(im::Family(name, "Help text of the family", im::MetricType::kCounter));
    for (const auto& s : stats) {
      im::AddSample(out.back(), ModelLabels(s), static_cast<double>(s.inference_count));
    }
  }
  out.push_back(im::Family("nv_inference_request_failure", "Help", im::MetricType::kCounter));
  for (const auto& s : stats) {
    for (size_t r = 0; r < 4; ++r) {
      im::Labels labels = ModelLabels(s);
      labels.emplace_back("reason", kReasons[r]);
      im::AddSample(out.back(), std::move(labels), static_cast<double>(s.failures[r]));
    }
  }
  for (const char* name : kGauges) {
    out.push_back(im::Family(name, "Help text of the family", im::MetricType::kGauge));
    for (const auto& s : stats) {
      im::AddSample(out.back(), ModelLabels(s), static_cast<double>(s.pending_request_count));
    }
  }
  const inferd::core::HistogramSnapshot inferd::core::ModelHistograms::*hists[] = {
      &inferd::core::ModelHistograms::request_us, &inferd::core::ModelHistograms::queue_us,
      &inferd::core::ModelHistograms::compute_us, &inferd::core::ModelHistograms::batch_size};
  for (int h = 0; h < 4; ++h) {
    out.push_back(im::Family(kHistograms[h], "Help text", im::MetricType::kHistogram));
    for (const auto& s : stats) {
      im::AddHistogram(out.back(), ModelLabels(s), ToValue(s.histograms.*hists[h]));
    }
  }
  return im::WriteText(out);
}

void BM_Inferd_Scrape20Models(benchmark::State& state) {
  const InferdModels models;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = InferdScrape(models);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Inferd_Scrape20Models);

struct PromModels {
  PromModels() {
    registry = std::make_shared<prometheus::Registry>();
    std::vector<prometheus::Family<prometheus::Counter>*> counters;
    for (const char* name : kCounters) {
      counters.push_back(&prometheus::BuildCounter()
                              .Name(name)
                              .Help("Help text of the family")
                              .Register(*registry));
    }
    auto& failure = prometheus::BuildCounter()
                        .Name("nv_inference_request_failure")
                        .Help("Help")
                        .Register(*registry);
    std::vector<prometheus::Family<prometheus::Gauge>*> gauges;
    for (const char* name : kGauges) {
      gauges.push_back(
          &prometheus::BuildGauge().Name(name).Help("Help text of the family").Register(*registry));
    }
    std::vector<prometheus::Family<prometheus::Histogram>*> histograms;
    for (const char* name : kHistograms) {
      histograms.push_back(
          &prometheus::BuildHistogram().Name(name).Help("Help text").Register(*registry));
    }
    for (int m = 0; m < kModels; ++m) {
      const prometheus::Labels labels = {{"model", ModelName(m)}, {"version", "1"}};
      for (auto* f : counters) f->Add(labels).Increment(100);
      for (const char* reason : kReasons) {
        auto with_reason = labels;
        with_reason["reason"] = reason;
        failure.Add(with_reason);
      }
      for (auto* f : gauges) f->Add(labels).Set(0);
      for (int h = 0; h < 4; ++h) {
        auto& hist = histograms[h]->Add(
            labels, h == 3 ? im::BucketConfig{}.batch_size : im::BucketConfig{}.latency_us);
        for (int i = 0; i < 100; ++i) hist.Observe(h == 3 ? 1 + i % 8 : 80 + i * 37);
      }
    }
  }
  std::shared_ptr<prometheus::Registry> registry;
};

void BM_Prom_Scrape20Models(benchmark::State& state) {
  const PromModels models;
  const prometheus::TextSerializer serializer;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = serializer.Serialize(models.registry->Collect());
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Prom_Scrape20Models);

// The middle way: inferd's lock-free recorders on the request path, prometheus-cpp only for the
// exposition (the snapshots turned into prometheus::MetricFamily, then its TextSerializer).
prometheus::ClientMetric PromMetric(const inferd::core::ModelStatistics& s) {
  prometheus::ClientMetric metric;
  metric.label = {{"model", s.name}, {"version", s.version}};
  return metric;
}

std::string HybridScrape(const InferdModels& models) {
  std::vector<inferd::core::ModelStatistics> stats;
  for (const auto& r : models.recorders) stats.push_back(r->Snapshot());
  std::vector<prometheus::MetricFamily> out;
  for (const char* name : kCounters) {
    out.push_back({name, "Help text of the family", prometheus::MetricType::Counter, {}});
    for (const auto& s : stats) {
      out.back().metric.push_back(PromMetric(s));
      out.back().metric.back().counter.value = static_cast<double>(s.inference_count);
    }
  }
  out.push_back({"nv_inference_request_failure", "Help", prometheus::MetricType::Counter, {}});
  for (const auto& s : stats) {
    for (size_t r = 0; r < 4; ++r) {
      out.back().metric.push_back(PromMetric(s));
      out.back().metric.back().label.push_back({"reason", kReasons[r]});
      out.back().metric.back().counter.value = static_cast<double>(s.failures[r]);
    }
  }
  for (const char* name : kGauges) {
    out.push_back({name, "Help text of the family", prometheus::MetricType::Gauge, {}});
    for (const auto& s : stats) {
      out.back().metric.push_back(PromMetric(s));
      out.back().metric.back().gauge.value = static_cast<double>(s.pending_request_count);
    }
  }
  const inferd::core::HistogramSnapshot inferd::core::ModelHistograms::*hists[] = {
      &inferd::core::ModelHistograms::request_us, &inferd::core::ModelHistograms::queue_us,
      &inferd::core::ModelHistograms::compute_us, &inferd::core::ModelHistograms::batch_size};
  for (int h = 0; h < 4; ++h) {
    out.push_back({kHistograms[h], "Help text", prometheus::MetricType::Histogram, {}});
    for (const auto& s : stats) {
      const inferd::core::HistogramSnapshot& snap = s.histograms.*hists[h];
      out.back().metric.push_back(PromMetric(s));
      auto& hist = out.back().metric.back().histogram;
      uint64_t cumulative = 0;
      for (size_t b = 0; b < snap.bounds.size(); ++b) {
        cumulative += snap.counts[b];
        hist.bucket.push_back({cumulative, snap.bounds[b]});
      }
      hist.sample_count = cumulative + snap.counts.back();
      hist.sample_sum = snap.sum;
    }
  }
  return prometheus::TextSerializer().Serialize(out);
}

void BM_Hybrid_Scrape20Models(benchmark::State& state) {
  const InferdModels models;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = HybridScrape(models);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Hybrid_Scrape20Models);

}  // namespace

BENCHMARK_MAIN();
