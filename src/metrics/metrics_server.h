// The metrics listener (`--metrics-port`, default 8002 as Triton): a small HTTP/1.1 server on its
// own port and its own single IO thread answering GET /metrics with the registry's text
// exposition (404 for other paths, 405 for other methods). Scrapes never touch the inference
// HTTP server's threads, and inference never waits on a scrape.
//
// Lifetime: construct, Start() once, Stop() (or destroy). The registry must outlive Stop().
// Start/Stop are called from one thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "common/tls_context.h"
#include "metrics/registry.h"

namespace inferd::metrics {

struct MetricsServerOptions {
  std::string address = "0.0.0.0";
  int port = 8002;  // 0 = an ephemeral port (Start returns it)
  // Set: HTTPS only (a plain-text client's handshake fails and it is closed); new connections
  // take the context current at accept time. Null = plain HTTP.
  std::shared_ptr<tls::ReloadableTlsContext> tls;
};

class MetricsServer {
 public:
  MetricsServer(const Registry& registry, MetricsServerOptions options);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  StatusOr<int> Start();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inferd::metrics
