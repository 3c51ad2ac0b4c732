// Per model-version statistics in the shape of Triton's statistics extension, recorded by the
// scheduler and read by the statistics API and the metrics layer.
//
// It is the one store of a version's figures: the statistics extension, /metrics and the console
// all read its Snapshot(). It keeps the Prometheus histograms too (request, queue and compute time
// in microseconds, formed batch size; bounds, and whether to record them at all, from the
// BucketConfig given at construction), failures by reason (including requests that failed
// validation before reaching the scheduler) and the pending (queued) request gauge.
//
// Thread-safe and cheap on the request path: every counter is a relaxed atomic, and per batch
// size counters live in a fixed array up to max_batch_size; only a batch larger than that (a
// non-batching model's request with its own large dimension 0) takes a mutex. Snapshot() is not
// one atomic cut across counters: values recorded during it may be partly included.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "core/model_statistics.h"
#include "metrics/histogram.h"

namespace inferd::scheduler {

class StatsRecorder {
 public:
  using Duration = std::chrono::nanoseconds;

  // `max_batch_size` sizes the lock-free per-batch-size table (0 = a non-batching model).
  StatsRecorder(std::string model_name, int64_t version, int64_t max_batch_size,
                const metrics::BucketConfig& buckets = metrics::BucketConfig{});
  StatsRecorder(const StatsRecorder&) = delete;
  StatsRecorder& operator=(const StatsRecorder&) = delete;

  // One request completed successfully: its whole duration, its queue time and the compute
  // times of the batch it ran in.
  void RecordSuccess(Duration request, Duration queue, Duration input, Duration infer,
                     Duration output);
  // One request failed (rejected, timed out, cancelled, its batch failed, or it failed validation
  // against the model before reaching the scheduler).
  void RecordFailure(Duration request, core::FailureReason reason);
  // The number of requests waiting in the scheduler's queue (set by the scheduler as it changes).
  void SetPending(int64_t queued) { pending_.store(queued, std::memory_order_relaxed); }
  // One successful backend execution of a batch of `batch_size` (inference_count grows by it).
  void RecordExecution(int64_t batch_size, Duration input, Duration infer, Duration output);

  core::ModelStatistics Snapshot() const;

 private:
  struct Stat {
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> ns{0};
    void Add(Duration d);
    core::DurationStat Load() const;
  };
  struct BatchSlot {
    Stat input, infer, output;
  };
  BatchSlot& Slot(int64_t batch_size);

  const std::string name_;
  const int64_t version_;
  Stat success_, fail_, queue_, input_, infer_, output_;
  std::atomic<uint64_t> inference_count_{0};
  std::atomic<uint64_t> execution_count_{0};
  std::atomic<uint64_t> last_inference_ms_{0};
  std::atomic<int64_t> pending_{0};
  std::array<std::atomic<uint64_t>, core::kFailureReasonCount> failures_{};
  metrics::Histogram request_us_, queue_us_, compute_us_, batch_size_;
  const bool histograms_;                          // BucketConfig::record
  std::vector<std::unique_ptr<BatchSlot>> slots_;  // index = batch size, fixed after construction
  mutable absl::Mutex overflow_mu_;
  std::map<int64_t, std::unique_ptr<BatchSlot>> overflow_ ABSL_GUARDED_BY(overflow_mu_);
};

}  // namespace inferd::scheduler
