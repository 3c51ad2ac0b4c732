#!/usr/bin/env bash
# Per-request overhead on a tiny model: `simple` with JSON bodies over HTTP/1.1 keep-alive,
# driven by wrk (Debian) at 16 connections and at 1 connection. Usage: bench/run_wrk_simple.sh [secs]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}"
start_server --model-repository examples/model_repository
lua="$(simple_infer_lua)"
machine_line
for conns in 16 1; do
  threads=$(( conns < 2 ? 1 : 2 ))
  echo "--- wrk -t$threads -c$conns -d${SECS}s --latency (simple, JSON)"
  wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency -s "$lua" \
    "http://127.0.0.1:$port/v2/models/simple/infer" | grep -E "Requests/sec|50%|90%|99%|Non-2xx"
done
rm -f "$lua"
