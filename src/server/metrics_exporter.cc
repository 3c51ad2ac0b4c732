#include "server/metrics_exporter.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "frontend/grpc/call_counter.h"
#include "frontend/http/endpoint_label.h"
#include "metrics/process_stats.h"

namespace inferd::server {
namespace {

using metrics::AddSample;
using metrics::Family;
using metrics::MetricFamily;
using metrics::MetricType;

double Us(uint64_t ns) { return static_cast<double>(ns / 1000); }

metrics::HistogramValue ToValue(const core::HistogramSnapshot& h) {
  return metrics::HistogramValue{h.bounds, h.counts, h.sum};
}

metrics::Labels ModelLabels(const core::ModelStatistics& s) {
  return {{"model", s.name}, {"version", s.version}};
}

// One family per entry, each reading one figure of every model's statistics.
struct Simple {
  const char* name;
  const char* help;
  MetricType type;
  double (*value)(const core::ModelStatistics&);
};

constexpr Simple kSimple[] = {
    {"nv_inference_request_success", "Number of successful inference requests, all batch sizes",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) {
       return static_cast<double>(s.inference_stats.success.count);
     }},
    {"nv_inference_count", "Number of inferences performed (does not include cached requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return static_cast<double>(s.inference_count); }},
    {"nv_inference_exec_count",
     "Number of model executions performed (does not include cached requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return static_cast<double>(s.execution_count); }},
    {"nv_inference_request_duration_us",
     "Cumulative inference request duration in microseconds (includes cached requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return Us(s.inference_stats.success.ns); }},
    {"nv_inference_queue_duration_us",
     "Cumulative inference queuing duration in microseconds (includes cached requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return Us(s.inference_stats.queue.ns); }},
    {"nv_inference_compute_input_duration_us",
     "Cumulative compute input duration in microseconds (does not include cached requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return Us(s.inference_stats.compute_input.ns); }},
    {"nv_inference_compute_infer_duration_us",
     "Cumulative compute inference duration in microseconds (does not include cached requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return Us(s.inference_stats.compute_infer.ns); }},
    {"nv_inference_compute_output_duration_us",
     "Cumulative inference compute output duration in microseconds (does not include cached "
     "requests)",
     MetricType::kCounter,
     [](const core::ModelStatistics& s) { return Us(s.inference_stats.compute_output.ns); }},
    {"nv_inference_pending_request_count",
     "Instantaneous number of pending requests awaiting execution per-model.", MetricType::kGauge,
     [](const core::ModelStatistics& s) { return static_cast<double>(s.pending_request_count); }},
    {"nv_model_load_duration_secs", "Model load time in seconds", MetricType::kGauge,
     [](const core::ModelStatistics& s) { return s.load_duration_secs; }},
};

struct Hist {
  const char* name;
  const char* help;
  const core::HistogramSnapshot& (*value)(const core::ModelStatistics&);
};

constexpr Hist kHistograms[] = {
    {"nv_inference_request_histogram_us",
     "Histogram of successful inference request durations (received to completed) in "
     "microseconds",
     [](const core::ModelStatistics& s) -> const core::HistogramSnapshot& {
       return s.histograms.request_us;
     }},
    {"nv_inference_queue_histogram_us",
     "Histogram of the time successful requests waited in the scheduler queue, in microseconds",
     [](const core::ModelStatistics& s) -> const core::HistogramSnapshot& {
       return s.histograms.queue_us;
     }},
    {"nv_inference_compute_histogram_us",
     "Histogram of the compute time (input + infer + output) of successful requests' batches, in "
     "microseconds",
     [](const core::ModelStatistics& s) -> const core::HistogramSnapshot& {
       return s.histograms.compute_us;
     }},
    {"nv_inference_batch_size_histogram",
     "Histogram of the batch sizes (rows) of successful model executions",
     [](const core::ModelStatistics& s) -> const core::HistogramSnapshot& {
       return s.histograms.batch_size;
     }},
};

void CollectModels(const core::InferenceService& service, std::vector<MetricFamily>& out) {
  auto stats = service.GetModelStatistics("", 0);
  const std::vector<core::ModelStatistics> models =
      stats.ok() ? *std::move(stats) : std::vector<core::ModelStatistics>{};
  MetricFamily failure =
      Family("nv_inference_request_failure", "Number of failed inference requests, all batch sizes",
             MetricType::kCounter);
  for (const auto& s : models) {
    for (size_t r = 0; r < core::kFailureReasonCount; ++r) {
      metrics::Labels labels = ModelLabels(s);
      labels.emplace_back("reason", core::kFailureReasonNames[r]);
      AddSample(failure, std::move(labels), static_cast<double>(s.failures[r]));
    }
  }
  for (const Simple& f : kSimple) {
    out.push_back(Family(f.name, f.help, f.type));
    for (const auto& s : models) AddSample(out.back(), ModelLabels(s), f.value(s));
    if (std::string_view(f.name) == "nv_inference_request_success") {
      out.push_back(std::move(failure));
    }
  }
  for (const Hist& h : kHistograms) {
    out.push_back(Family(h.name, h.help, MetricType::kHistogram));
    for (const auto& s : models) AddHistogram(out.back(), ModelLabels(s), ToValue(h.value(s)));
  }
  MetricFamily ready =
      Family("nv_model_ready", "Whether a model version in the repository is ready (1) or not (0)",
             MetricType::kGauge);
  for (const auto& entry : service.RepositoryIndex(/*ready_only=*/false)) {
    AddSample(ready, {{"model", entry.name}, {"version", entry.version}},
              entry.state == "READY" ? 1 : 0);
  }
  out.push_back(std::move(ready));
}

}  // namespace

std::unique_ptr<metrics::StatsStore> MakeStatsStore(metrics::BucketConfig buckets) {
  return std::make_unique<metrics::StatsStore>(metrics::StatsStoreOptions{
      std::move(buckets), frontend::http::HttpEndpoints(), frontend::grpc::GrpcMethods()});
}

metrics::Collector ModelCollector(const core::InferenceService& service) {
  return [&service](std::vector<MetricFamily>& out) { CollectModels(service, out); };
}

metrics::Collector ServerCollector(const metrics::StatsStore& store) {
  return [&store](std::vector<MetricFamily>& out) {
    out.push_back(Family("nv_http_request_count",
                         "Number of HTTP requests answered, by endpoint and HTTP status code",
                         MetricType::kCounter));
    store.http().Collect(out.back(), "endpoint", [](int code) { return std::to_string(code); });
    out.push_back(Family("nv_grpc_request_count",
                         "Number of gRPC calls finished, by method and gRPC status code",
                         MetricType::kCounter));
    store.grpc().Collect(out.back(), "method", frontend::grpc::GrpcCodeName);
    out.push_back(Family("nv_inference_inflight_request_count",
                         "Inference requests received and not yet completed, all models",
                         MetricType::kGauge));
    AddSample(out.back(), {}, static_cast<double>(store.inflight().Value()));
  };
}

metrics::Collector ProcessCollector() {
  auto cpu = std::make_shared<metrics::CpuUtilization>();
  return [cpu](std::vector<MetricFamily>& out) {
    if (auto u = cpu->Sample(); u.ok()) {
      out.push_back(
          Family("nv_cpu_utilization", "CPU utilization rate [0.0 - 1.0]", MetricType::kGauge));
      AddSample(out.back(), {}, *u);
    }
    if (auto m = metrics::ReadMemInfo(); m.ok()) {
      out.push_back(Family("nv_cpu_memory_total_bytes", "CPU total memory (RAM), in bytes",
                           MetricType::kGauge));
      AddSample(out.back(), {}, static_cast<double>(m->total_bytes));
      out.push_back(Family("nv_cpu_memory_used_bytes", "CPU used memory (RAM), in bytes",
                           MetricType::kGauge));
      AddSample(out.back(), {}, static_cast<double>(m->used_bytes));
    }
    if (auto rss = metrics::ReadResidentBytes(); rss.ok()) {
      out.push_back(Family("nv_process_resident_memory_bytes",
                           "Resident set size of the inferd process, in bytes",
                           MetricType::kGauge));
      AddSample(out.back(), {}, static_cast<double>(*rss));
    }
  };
}

}  // namespace inferd::server
