// Slow clients and connection limits of `inferd serve`: the HTTP front end's timeouts and
// connection cap, and gRPC's keep-alive and connection age under Triton's flag names. Registered
// by AddServeOptions; docs/security.md says which attack each one bounds.
#include "server/connection_options.h"

#include <chrono>
#include <climits>

#include "CLI/CLI.hpp"
#include "server/serve_options.h"

namespace inferd::server {
namespace {

void AddHttpConnectionOptions(CLI::App& command, ServeOptions& options) {
  command
      .add_option("--http-header-timeout-secs", options.http_header_timeout_secs,
                  "Seconds a client has to send a complete request head, from connecting (or "
                  "from the first byte of a keep-alive connection's next request); then the "
                  "connection is closed")
      ->check(CLI::Range(1, 3600))
      ->default_val(20);
  command
      .add_option("--http-idle-timeout-secs", options.http_idle_timeout_secs,
                  "Seconds a keep-alive connection may stay idle between requests (keep it above "
                  "your load balancer's idle timeout)")
      ->check(CLI::Range(1, 86400))
      ->default_val(75);
  command
      .add_option("--http-body-timeout-secs", options.http_body_timeout_secs,
                  "Seconds a request body upload may make no progress before the connection is "
                  "closed")
      ->check(CLI::Range(1, 3600))
      ->default_val(30);
  command
      .add_option("--http-max-connections", options.http_max_connections,
                  "Open HTTP connections; more are answered 503 and closed at once")
      ->check(CLI::Range(size_t{1}, size_t{1} << 24))
      ->default_val(10000);
  command
      .add_option("--http-refuse-on-head", options.http_refuse_on_head,
                  "Answer an inference request 503 + Retry-After as soon as its head is read when "
                  "its model's queue is full, without reading its body")
      ->default_val(true);
}

void AddGrpcConnectionOptions(CLI::App& command, ServeOptions& options) {
  auto& c = options.grpc_connection;
  command
      .add_option("--grpc-keepalive-time", c.keepalive_time_ms,
                  "Milliseconds of idleness after which the server pings a gRPC connection")
      ->check(CLI::Range(1, INT_MAX))
      ->default_val(7200000);
  command
      .add_option("--grpc-keepalive-timeout", c.keepalive_timeout_ms,
                  "Milliseconds to wait for a keep-alive ping's answer before closing")
      ->check(CLI::Range(1, INT_MAX))
      ->default_val(20000);
  command
      .add_option("--grpc-keepalive-permit-without-calls", c.keepalive_permit_without_calls,
                  "Accept clients' keep-alive pings on connections with no call open")
      ->default_val(false);
  command
      .add_option("--grpc-http2-max-pings-without-data", c.http2_max_pings_without_data,
                  "Pings the server sends with no data in between (0 = no limit)")
      ->check(CLI::Range(0, INT_MAX))
      ->default_val(2);
  command
      .add_option("--grpc-http2-min-recv-ping-interval-without-data",
                  c.http2_min_recv_ping_interval_without_data_ms,
                  "Milliseconds expected between a client's pings with no data; closer pings "
                  "count as strikes")
      ->check(CLI::Range(0, INT_MAX))
      ->default_val(300000);
  command
      .add_option("--grpc-http2-max-ping-strikes", c.http2_max_ping_strikes,
                  "Bad pings tolerated before GOAWAY and close (0 = any number)")
      ->check(CLI::Range(0, INT_MAX))
      ->default_val(2);
  command
      .add_option("--grpc-max-connection-age", c.max_connection_age_ms,
                  "Milliseconds after which a gRPC connection is sent GOAWAY (0 = never)")
      ->check(CLI::Range(0, INT_MAX))
      ->default_val(0);
  command
      .add_option("--grpc-max-connection-age-grace", c.max_connection_age_grace_ms,
                  "Milliseconds calls may still run after the connection's max age before it "
                  "is closed (0 = unlimited)")
      ->check(CLI::Range(0, INT_MAX))
      ->default_val(0);
}

}  // namespace

void AddConnectionOptions(CLI::App& command, ServeOptions& options) {
  AddHttpConnectionOptions(command, options);
  AddGrpcConnectionOptions(command, options);
}

void ApplyHttpConnectionOptions(const ServeOptions& options, frontend::http::HttpOptions& http) {
  http.header_timeout = std::chrono::seconds(options.http_header_timeout_secs);
  http.idle_timeout = std::chrono::seconds(options.http_idle_timeout_secs);
  http.body_timeout = std::chrono::seconds(options.http_body_timeout_secs);
  http.max_connections = options.http_max_connections;
  http.refuse_on_head = options.http_refuse_on_head;
}

frontend::grpc::GrpcConnectionOptions GrpcConnectionSettings(const ServeOptions& options) {
  const auto& c = options.grpc_connection;
  return {c.keepalive_time_ms,
          c.keepalive_timeout_ms,
          c.keepalive_permit_without_calls,
          c.http2_max_pings_without_data,
          c.http2_min_recv_ping_interval_without_data_ms,
          c.http2_max_ping_strikes,
          c.max_connection_age_ms,
          c.max_connection_age_grace_ms};
}

}  // namespace inferd::server
