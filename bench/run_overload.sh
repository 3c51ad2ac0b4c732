#!/usr/bin/env bash
# Overload (docs/performance.md): `simple` and the conv net offered 10x their measured capacity for
# SECONDS, with a bounded queue (max_queue_size QUEUE, so excess load is refused with 503 +
# Retry-After instead of queued), one CPU instance, no batching delay. Reports unloaded vs admitted
# latency, rejection latency, the CPU the server and the generator used during the overload, and
# the server's RSS and descriptors before, at the end and after.
# Usage: [PIN=1] [CONNECTIONS=64] [SERVER_ARGS="--http-max-connections 16"] \
#        bench/run_overload.sh [seconds] [queue]
#   PIN=1: the server (all its threads) on CPU 0 and the generator on CPU 1 (taskset), so the
#          two never compete for a core; capacity is then one core's, measured in the same run.
#   CONNECTIONS: the open-loop generator's keep-alive connections (default 64).
#   SERVER_ARGS="--http-refuse-on-head false": every refused body is read first (the old way).
source "$(dirname "$0")/lib.sh"
SECS="${1:-60}"
QUEUE="${2:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
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
generator=()
if [[ "${PIN:-0}" == 1 ]]; then
  (($(nproc) >= 2)) || { echo "PIN=1 needs two CPUs" >&2; exit 1; }
  taskset -a -p -c 0 "$server_pid" >/dev/null  # -a: every thread; later threads inherit it
  generator=(taskset -c 1)
fi
machine_line
echo "server args: ${SERVER_ARGS:-(none)}; pinned: ${PIN:-0}; connections: $CONNECTIONS"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before the run"
for spec in "simple --input INPUT0:1,16:INT32 --input INPUT1:1,16:INT32" \
            "convnet --input INPUT0:1,3,224,224:FP32"; do
  echo
  # shellcheck disable=SC2086
  "${generator[@]}" ./build/release/bench/overload_bench --port "$port" --pid "$server_pid" \
    --model $spec --seconds "$SECS" --connections "$CONNECTIONS" ||
    echo "(some answers were neither 200 nor 503)"
done
echo
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) after the run"
rm -rf "$repo"
