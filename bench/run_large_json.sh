#!/usr/bin/env bash
# Large JSON requests (issue 20, item 4): 32 closed-loop clients each send the conv net JSON
# requests of 150,528 floats (~1 MB of text), with one HTTP IO thread, first with every request
# decoded on that IO thread (--http-offload-threads 0), then with the default offload pool, in one
# run. Prints throughput and the model's executions vs inferences (batches form iff fewer).
# Usage: bench/run_large_json.sh [window-ms]
source "$(dirname "$0")/lib.sh"
WINDOW="${1:-5000}"
[[ -f examples/model_repository/convnet/1/model.onnx ]] || /usr/bin/python3 scripts/make_models.py
repo="$(mktemp -d)"
cp -r examples/model_repository/convnet "$repo/"  # a copy: links out of the repository are refused
cat >>"$repo/convnet/config.pbtxt" <<CONFIG
instance_group [ { kind: KIND_CPU count: 1 } ]
dynamic_batching { max_queue_delay_microseconds: 2000 }
CONFIG
machine_line
for offload in 0 -1; do
  start_server --model-repository "$repo" --http-threads 1 --http-offload-threads "$offload"
  echo "== --http-threads 1 --http-offload-threads $offload (-1 = one per core)," \
       "load $(cut -d' ' -f1-3 /proc/loadavg)"
  "$INFERD" perf -m convnet -u "127.0.0.1:$port" --json-data --concurrency-range 32:32:1 \
    -p "$WINDOW" -r 6 | grep -E "Throughput|p50|p95"
  curl -s "127.0.0.1:$port/v2/models/convnet/stats" | /usr/bin/python3 -c '
import json, sys
m = json.load(sys.stdin)["model_stats"][0]
i, e = m["inference_count"], m["execution_count"]
print(f"  inferences {i}, executions {e}, mean batch {i / max(e, 1):.2f}")'
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
done
rm -rf "$repo"
