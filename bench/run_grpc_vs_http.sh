#!/usr/bin/env bash
# `simple` and `convnet` over gRPC (raw contents) vs HTTP (binary tensors) at concurrency 1 and 16
# against one server, in one run: first grpc_e2e_bench (one blocking client per caller), then
# `inferd perf -i grpc|http` (the perf_analyzer workflow); each prints gRPC/HTTP per case.
# Usage: bench/run_grpc_vs_http.sh [seconds-per-case] [perf-window-ms]
# BASELINE_INFERD=<binary>: also measures that server binary in the same run (started after
# ours, same clients), for a before/after in one time window.
source "$(dirname "$0")/lib.sh"
cmake --build --preset bench --target grpc_e2e_bench >/dev/null
SECS="${1:-5}"
WINDOW="${2:-1500}"
OUT=build/release/perf_results
mkdir -p "$OUT"

# perf_ratio TAG: `inferd perf` over both protocols and both models against the running server.
perf_ratio() {
  echo "inferd perf (-p $WINDOW ms windows), $1:"
  echo "| model | concurrency | gRPC infer/s | HTTP infer/s | gRPC/HTTP |"
  echo "|---|---|---|---|---|"
  for model in simple convnet; do
    for protocol in grpc http; do
      url="127.0.0.1:$([[ $protocol == http ]] && echo "$port" || echo "$grpc_port")"
      "$INFERD" perf -m "$model" -i "$protocol" -u "$url" --concurrency-range 1:16:15 \
        -p "$WINDOW" -r 6 -f "$OUT/grpc_vs_http_${model}_${protocol}.csv" >/dev/null
    done
    # Column 1 is the concurrency, column 2 infer/s (perf_analyzer's CSV layout).
    join -t, <(tail -n +2 "$OUT/grpc_vs_http_${model}_grpc.csv" | cut -d, -f1,2 | sort) \
      <(tail -n +2 "$OUT/grpc_vs_http_${model}_http.csv" | cut -d, -f1,2 | sort) |
      sort -t, -k1n |
      awk -F, -v m="$model" '{printf "| %s | %s | %.0f | %.0f | %.2f |\n", m, $1, $2, $3, $2/$3}'
  done
}

# measure TAG SERVER-BINARY
measure() {
  local server_binary="$2"
  INFERD="$server_binary" start_server --model-repository examples/model_repository
  echo "== $1 ($server_binary), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  ./build/release/bench/grpc_e2e_bench --http-port "$port" --grpc-port "$grpc_port" \
    --models simple,convnet --concurrency 1,16 --seconds "$SECS"
  perf_ratio "$1"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
}

machine_line
measure "this build" "$INFERD"
if [[ -n "${BASELINE_INFERD:-}" ]]; then measure "baseline" "$BASELINE_INFERD"; fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
