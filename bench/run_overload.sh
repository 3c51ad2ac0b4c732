#!/usr/bin/env bash
# Overload (docs/performance.md): `simple` and the conv net offered 10x their measured capacity for
# SECONDS, with a bounded queue (max_queue_size QUEUE, so excess load is refused with 503 +
# Retry-After instead of queued), one CPU instance, no batching delay. Reports unloaded vs admitted
# latency, rejection latency, and the server's RSS and descriptors before, at the end and after.
# Usage: [SERVER_ARGS="--http-max-connections 16"] bench/run_overload.sh [seconds] [queue]
source "$(dirname "$0")/lib.sh"
SECS="${1:-60}"
QUEUE="${2:-2}"
cmake --build --preset bench --target overload_bench >/dev/null
[[ -f examples/model_repository/convnet/1/model.onnx ]] || /usr/bin/python3 scripts/make_models.py
repo="$(mktemp -d)"
for model in simple convnet; do
  cp -r "examples/model_repository/$model" "$repo/"  # a copy: links out of the repository are refused
  cat >>"$repo/$model/config.pbtxt" <<CONFIG
instance_group [ { kind: KIND_CPU count: 1 } ]
dynamic_batching { default_queue_policy { max_queue_size: $QUEUE } }
CONFIG
done
# shellcheck disable=SC2086
start_server --model-repository "$repo" ${SERVER_ARGS:-}
machine_line
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before the run"
for spec in "simple --input INPUT0:1,16:INT32 --input INPUT1:1,16:INT32" \
            "convnet --input INPUT0:1,3,224,224:FP32"; do
  echo
  # shellcheck disable=SC2086
  ./build/release/bench/overload_bench --port "$port" --pid "$server_pid" --model $spec \
    --seconds "$SECS" || echo "(some answers were neither 200 nor 503)"
done
rm -rf "$repo"
