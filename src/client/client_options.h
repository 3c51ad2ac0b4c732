// Options and plain result types of inferd's C++ client library (see inference_client.h).
// Plain data; copyable; no thread-safety concerns of their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace inferd::client {

enum class Protocol { kHttp, kGrpc };

// Retries with exponential backoff. Idempotent calls (health, metadata, config, index,
// statistics) are retried on connection failures and on "503 + Retry-After" (gRPC: UNAVAILABLE).
// Inference is retried only when `retry_infer` is set, and then only when the server said the
// request was not taken ("503 + Retry-After"; gRPC: UNAVAILABLE or RESOURCE_EXHAUSTED), never on a
// broken connection (the server may have run it). Load and unload are never retried.
struct RetryPolicy {
  int max_attempts = 3;  // including the first; 1 disables retries
  std::chrono::milliseconds initial_backoff{50};
  double multiplier = 2.0;
  // Upper bound of one wait, also for a server's Retry-After (which is honoured up to this).
  std::chrono::milliseconds max_backoff{2000};
  bool retry_infer = false;
};

// TLS to the server (HTTPS, gRPC over TLS): on when `enabled` or the URL starts with https:// or
// grpcs://. The server's certificate must chain to `ca_file` (the system's CAs when empty) and
// name the host of the URL. `cert_file` and `key_file` (PEM) present a client certificate, for a
// server that requires one (mutual TLS).
struct TlsOptions {
  bool enabled = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

struct ClientOptions {
  // "host:port", optionally with a scheme ("http://", "grpc://"); a missing port defaults to 8000
  // (HTTP) or 8001 (gRPC).
  std::string url = "127.0.0.1:8000";
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};  // per attempt, connection included
  RetryPolicy retry;
  // HTTP only: send and ask for tensors with the binary tensor extension (false = JSON only).
  bool binary_data = true;
  // Concurrent connections (HTTP) the asynchronous calls may open; 0 = as many as are in flight.
  int max_connections = 0;
  TlsOptions tls;
};

// Whether `options` ask for TLS (the flag, or an https:// / grpcs:// URL).
bool UsesTls(const ClientOptions& options);

// The host and port of `url`; `default_port` when it names none.
struct HostPort {
  std::string host;
  int port = 0;
};
HostPort ParseUrl(const std::string& url, int default_port);

struct ServerMetadata {
  std::string name;
  std::string version;
  std::vector<std::string> extensions;
};

struct TensorMetadata {
  std::string name;
  std::string datatype;
  std::vector<int64_t> shape;  // -1 = variable
};

struct ModelMetadata {
  std::string name;
  std::vector<std::string> versions;
  std::string platform;
  std::vector<TensorMetadata> inputs;
  std::vector<TensorMetadata> outputs;
};

// One class of an image prediction (POST /predict): the model's label for it (the index as text
// without a label file), its index in the scores output, and its score.
struct Prediction {
  std::string label;
  int64_t index = 0;
  double score = 0;
};

// The answer of POST /predict/{model}[/versions/{v}]: predictions best first (the model's
// pipeline sets how many and whether scores are softmaxed).
struct PredictResult {
  std::string model;
  std::string version;
  std::vector<Prediction> predictions;
};

struct ModelConfig {
  std::string json;  // the whole configuration, Triton's JSON form (field names as the proto)
  int64_t max_batch_size = 0;
};

struct RepositoryModel {
  std::string name;
  std::string version;
  std::string state;  // READY, UNAVAILABLE, LOADING, UNLOADING
  std::string reason;
};

struct Duration {
  uint64_t count = 0;
  uint64_t ns = 0;
};

struct ModelStatistics {
  std::string name;
  std::string version;
  uint64_t last_inference_ms = 0;
  uint64_t inference_count = 0;  // inferences (a batch of 4 in one request counts 4)
  uint64_t execution_count = 0;  // backend executions (batches)
  Duration success, fail, queue, compute_input, compute_infer, compute_output;
};

}  // namespace inferd::client
