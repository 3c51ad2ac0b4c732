// StatsStore: the one place the server's counters and histograms live, read alike by the
// statistics extension (HTTP /v2/models/stats, gRPC ModelStatistics), the /metrics exposition and
// the console. It holds
//  - the per-model histogram bucket configuration, handed to every model version's statistics
//    recorder when the version loads (no process-wide setting);
//  - HTTP requests per endpoint and status code, gRPC calls per method and code;
//  - the inference requests in flight: one gauge, counted once by the facade, which also uses it
//    for --max-inflight.
// Per model version the figures (successes, failures by reason including requests that failed
// validation, durations, histograms, pending requests) live in that version's recorder, made with
// buckets() and reached through the facade's GetModelStatistics, so the statistics extension and
// the nv_inference_* metrics read the same atomics.
//
// Thread-safe: every counter is an atomic; the configuration is fixed at construction. Owned by
// the server for its whole run; front ends and the facade borrow its counters.
#pragma once

#include <string>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/registry.h"
#include "metrics/status_counters.h"

namespace inferd::metrics {

struct StatsStoreOptions {
  BucketConfig buckets;
  std::vector<std::string> http_endpoints;  // endpoint labels; the last one counts the unknown
  std::vector<std::string> grpc_methods;    // method names; the last one counts the unknown
};

class StatsStore {
 public:
  explicit StatsStore(StatsStoreOptions options);
  StatsStore(const StatsStore&) = delete;
  StatsStore& operator=(const StatsStore&) = delete;

  const BucketConfig& buckets() const { return buckets_; }
  StatusCounters& http() { return http_; }
  const StatusCounters& http() const { return http_; }
  StatusCounters& grpc() { return grpc_; }
  const StatusCounters& grpc() const { return grpc_; }
  Gauge& inflight() { return inflight_; }
  const Gauge& inflight() const { return inflight_; }

 private:
  const BucketConfig buckets_;
  StatusCounters http_;  // codes 0..599
  StatusCounters grpc_;  // codes 0..16
  Gauge inflight_;
};

}  // namespace inferd::metrics
