#!/usr/bin/env bash
# Per-request overhead on a tiny model: `simple` with JSON bodies over HTTP/1.1 keep-alive,
# driven by wrk (Debian) at 16 connections and at 1 connection. Usage: bench/run_wrk_simple.sh [secs]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}"
start_server --model-repository examples/model_repository
body='{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}'
lua="$(mktemp --suffix .lua)"
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
machine_line
for conns in 16 1; do
  threads=$(( conns < 2 ? 1 : 2 ))
  echo "--- wrk -t$threads -c$conns -d${SECS}s --latency (simple, JSON)"
  wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency -s "$lua" \
    "http://127.0.0.1:$port/v2/models/simple/infer" | grep -E "Requests/sec|50%|90%|99%|Non-2xx"
done
rm -f "$lua"
