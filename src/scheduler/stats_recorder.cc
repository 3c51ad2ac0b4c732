#include "scheduler/stats_recorder.h"

#include <algorithm>
#include <utility>

namespace inferd::scheduler {
namespace {

uint64_t Ns(std::chrono::nanoseconds d) {
  return d.count() > 0 ? static_cast<uint64_t>(d.count()) : 0;
}

double Us(std::chrono::nanoseconds d) { return static_cast<double>(Ns(d)) / 1000.0; }

core::HistogramSnapshot ToSnapshot(const metrics::Histogram& h) {
  metrics::HistogramValue v = h.Snapshot();
  return core::HistogramSnapshot{std::move(v.bounds), std::move(v.counts), v.sum};
}

}  // namespace

void StatsRecorder::Stat::Add(Duration d) {
  count.fetch_add(1, std::memory_order_relaxed);
  ns.fetch_add(Ns(d), std::memory_order_relaxed);
}

core::DurationStat StatsRecorder::Stat::Load() const {
  return core::DurationStat{count.load(std::memory_order_relaxed),
                            ns.load(std::memory_order_relaxed)};
}

StatsRecorder::StatsRecorder(std::string model_name, int64_t version, int64_t max_batch_size,
                             const metrics::BucketConfig& buckets)
    : name_(std::move(model_name)),
      version_(version),
      request_us_(buckets.latency_us),
      queue_us_(buckets.latency_us),
      compute_us_(buckets.latency_us),
      batch_size_(buckets.batch_size),
      histograms_(buckets.record) {
  const size_t n = static_cast<size_t>(std::max<int64_t>(max_batch_size, 1)) + 1;
  slots_.reserve(n);
  for (size_t i = 0; i < n; ++i) slots_.push_back(std::make_unique<BatchSlot>());
}

void StatsRecorder::RecordSuccess(Duration request, Duration queue, Duration input, Duration infer,
                                  Duration output) {
  success_.Add(request);
  queue_.Add(queue);
  input_.Add(input);
  infer_.Add(infer);
  output_.Add(output);
  if (!histograms_) return;
  request_us_.Observe(Us(request));
  queue_us_.Observe(Us(queue));
  compute_us_.Observe(Us(input + infer + output));
}

void StatsRecorder::RecordFailure(Duration request, core::FailureReason reason) {
  fail_.Add(request);
  failures_[static_cast<size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
}

StatsRecorder::BatchSlot& StatsRecorder::Slot(int64_t batch_size) {
  if (batch_size >= 0 && static_cast<size_t>(batch_size) < slots_.size()) {
    return *slots_[static_cast<size_t>(batch_size)];
  }
  absl::MutexLock lock(&overflow_mu_);
  auto& slot = overflow_[batch_size];
  if (!slot) slot = std::make_unique<BatchSlot>();
  return *slot;  // stable: map nodes and the slot are never erased
}

void StatsRecorder::RecordExecution(int64_t batch_size, Duration input, Duration infer,
                                    Duration output) {
  BatchSlot& slot = Slot(batch_size);
  slot.input.Add(input);
  slot.infer.Add(infer);
  slot.output.Add(output);
  execution_count_.fetch_add(1, std::memory_order_relaxed);
  if (histograms_) batch_size_.Observe(static_cast<double>(batch_size));
  inference_count_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(batch_size, 0)),
                             std::memory_order_relaxed);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  last_inference_ms_.store(
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()),
      std::memory_order_relaxed);
}

core::ModelStatistics StatsRecorder::Snapshot() const {
  core::ModelStatistics out;
  out.name = name_;
  out.version = std::to_string(version_);
  out.last_inference_ms = last_inference_ms_.load(std::memory_order_relaxed);
  out.inference_count = inference_count_.load(std::memory_order_relaxed);
  out.execution_count = execution_count_.load(std::memory_order_relaxed);
  out.pending_request_count = pending_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < failures_.size(); ++i) {
    out.failures[i] = failures_[i].load(std::memory_order_relaxed);
  }
  out.histograms = core::ModelHistograms{ToSnapshot(request_us_), ToSnapshot(queue_us_),
                                         ToSnapshot(compute_us_), ToSnapshot(batch_size_)};
  out.inference_stats = core::InferStatistics{success_.Load(), fail_.Load(),  queue_.Load(),
                                              input_.Load(),   infer_.Load(), output_.Load()};
  auto add = [&](int64_t size, const BatchSlot& slot) {
    if (slot.infer.count.load(std::memory_order_relaxed) == 0) return;
    out.batch_stats.push_back(core::BatchStatistics{static_cast<uint64_t>(size), slot.input.Load(),
                                                    slot.infer.Load(), slot.output.Load()});
  };
  for (size_t i = 0; i < slots_.size(); ++i) add(static_cast<int64_t>(i), *slots_[i]);
  absl::MutexLock lock(&overflow_mu_);
  for (const auto& [size, slot] : overflow_) add(size, *slot);
  return out;
}

}  // namespace inferd::scheduler
