// What metrics add to one request, in isolation: the statistics recorder's success path (five
// duration counters and three histogram observations), one batch-size observation, the HTTP
// status counter, the in-flight gauge and the tracer's sampling check. Threads(2) shows the cost
// when both cores update the same model's atomics at once.
#include <benchmark/benchmark.h>

#include <chrono>

#include "metrics/histogram.h"
#include "metrics/registry.h"
#include "metrics/request_trace.h"
#include "metrics/status_counters.h"
#include "scheduler/stats_recorder.h"

namespace {

using std::chrono::microseconds;

inferd::scheduler::StatsRecorder& Recorder() {
  static inferd::scheduler::StatsRecorder recorder("m", 1, 8);
  return recorder;
}

void BM_RecordSuccess(benchmark::State& state) {
  auto& r = Recorder();
  int64_t i = 0;
  for (auto _ : state) {
    r.RecordSuccess(microseconds(80 + (i & 63)), microseconds(5), microseconds(1), microseconds(40),
                    microseconds(2));
    ++i;
  }
}
BENCHMARK(BM_RecordSuccess)->Threads(1)->Threads(2);

void BM_HistogramObserve(benchmark::State& state) {
  static inferd::metrics::Histogram h(inferd::metrics::BucketConfig{}.latency_us);
  double v = 0;
  for (auto _ : state) {
    h.Observe(v);
    v = v > 6e6 ? 0 : v + 997;
  }
}
BENCHMARK(BM_HistogramObserve)->Threads(1)->Threads(2);

// The rest of a request's metrics work: status counter, in-flight +1/-1, tracer check (off).
void BM_FrontEndCounters(benchmark::State& state) {
  static inferd::metrics::StatusCounters counters({"infer", "other"}, 599);
  static inferd::metrics::Gauge inflight;
  static inferd::metrics::Tracer tracer;
  for (auto _ : state) {
    inflight.Add(1);
    benchmark::DoNotOptimize(tracer.Sample());
    counters.Increment(0, 200);
    inflight.Add(-1);
  }
}
BENCHMARK(BM_FrontEndCounters)->Threads(1)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
