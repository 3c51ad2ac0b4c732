#include "metrics/stats_store.h"

#include <utility>

namespace inferd::metrics {

StatsStore::StatsStore(StatsStoreOptions options)
    : buckets_(std::move(options.buckets)),
      http_(std::move(options.http_endpoints), 599),
      grpc_(std::move(options.grpc_methods), 16) {}

}  // namespace inferd::metrics
