// HttpServer: the KServe v2 REST front end. A Boost.Beast HTTP/1.1 listener (keep-alive, N IO
// threads on one io_context) handing each request to the Router. IO threads never wait on
// inference: the facade completes through a callback and the write is posted back to the
// connection's strand.
//
// Lifetime: construct, Start() once, Stop() (or destroy). The facade must outlive the server.
// Callbacks that complete after Stop() are dropped safely: connections never outlive the
// server's io_context. Start/Stop are not meant to be called concurrently with each other.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/tls_context.h"
#include "core/api_restrictions.h"
#include "core/inference_service.h"
#include "core/shared_memory.h"
#include "frontend/http/openapi/swagger_ui_assets.h"
#include "frontend/http/predict/predict_handler.h"
#include "metrics/request_trace.h"
#include "metrics/status_counters.h"

namespace inferd::frontend::http {

struct HttpOptions {
  std::string address = "0.0.0.0";
  int port = 8000;  // 0 = an ephemeral port (Start returns it)
  int threads = 2;  // IO threads
  // Requests whose body is at least `offload_min_bytes` are routed (JSON or image decode, then
  // the inference call) on a pool of `offload_threads` instead of the IO thread that read them,
  // so one large decode never holds up the other connections of that IO thread and concurrent
  // large requests decode in parallel (and reach the batcher together). 0 threads = route every
  // request on its IO thread.
  int offload_threads = 0;
  size_t offload_min_bytes = size_t{64} << 10;
  // Largest request body accepted; larger ones get 413 Payload Too Large and the connection is
  // closed (its unread body cannot be skipped safely). Triton answers 400; 413 says what it is.
  size_t max_input_size = size_t{64} << 20;
  size_t max_header_size = size_t{16} << 10;  // larger headers: 431, connection closed
  // Slow clients (docs/security.md). A request head must be complete this long after the
  // connection opened (or, on a keep-alive connection, after its first byte arrived).
  std::chrono::seconds header_timeout{20};
  // A keep-alive connection idle this long between requests closes. Longer than common load
  // balancers' own idle timeouts (60 s), so the balancer, not the server, closes first.
  std::chrono::seconds idle_timeout{75};
  std::chrono::seconds body_timeout{30};  // a body read that brings no byte this long ends it
  // Open connections beyond this are answered 503 and closed at once; open ones keep working.
  size_t max_connections = 10000;
  // Overload: an inference request whose model would refuse it now (full queue, server at its
  // in-flight limit) is answered 503 + Retry-After on its head, before its body is read
  // (Router::RefuseOnHead); false = every body is read and the scheduler refuses it.
  bool refuse_on_head = true;
  int max_json_depth = 64;
  // When set, every response is counted by endpoint (the route's label, endpoint_label.h) and
  // HTTP status; must outlive the server.
  metrics::StatusCounters* request_counters = nullptr;
  // When set, serves /v2/trace/setting; must outlive the server.
  metrics::Tracer* tracer = nullptr;
  PredictOptions predict;                 // POST /predict (image models) and classification labels
  core::ApiRestrictions restricted_apis;  // --http-restricted-api (router.h)
  // Set: the port serves HTTPS only (docs/security.md); each new connection takes the context
  // current at accept time, so a reload (SIGHUP) applies to new connections. Null = plain HTTP.
  std::shared_ptr<tls::ReloadableTlsContext> tls;
  // The shared-memory extension's regions (core/shared_memory.h); must outlive the server.
  // Null = the extension is off.
  core::SharedMemoryRegistry* shared_memory = nullptr;
  // --http-cors-allow-origin (cors.h); empty = no CORS headers at all.
  std::vector<std::string> cors_allow_origins;
  // GET /docs's Swagger UI files; null = /docs answers 404 (GET /openapi.json always works).
  std::shared_ptr<const SwaggerUiAssets> docs;
};

class HttpServer {
 public:
  HttpServer(core::InferenceService& service, HttpOptions options);
  ~HttpServer();  // calls Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the IO threads. Returns the bound port.
  StatusOr<int> Start();
  // Waits until every request dispatched so far has its response written (graceful shutdown:
  // call after the models drained, before Stop). False when `deadline` came first.
  bool WaitForPendingResponses(std::chrono::steady_clock::time_point deadline);
  // Stops accepting, closes every connection, joins the IO threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inferd::frontend::http
