#!/usr/bin/env bash
# Builds the release preset, serves the example repository on an ephemeral port, and runs
# e2e_bench for `simple` and `convnet` at concurrency 1 and 16. Usage: bench/run_e2e.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_CASE="${1:-5}"
cmake --preset release >/dev/null
cmake --build --preset release --target inferd e2e_bench >/dev/null
out="$(mktemp)"
./build/release/src/server/inferd serve --model-repository examples/model_repository \
  --http-port 0 --http-address 127.0.0.1 >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 600); do
  grep -q "HTTP listening" "$out" && break
  kill -0 $pid 2>/dev/null || { echo "server exited"; exit 1; }
  sleep 0.1
done
port="$(sed -n 's/.*HTTP listening on .*:\([0-9]*\)$/\1/p' "$out")"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); date: $(date -u +%F)"
for model in simple convnet; do
  ./build/release/bench/e2e_bench --repo examples/model_repository --model "$model" \
    --port "$port" --concurrency 1,16 --seconds "$SECONDS_PER_CASE" | { [[ $model == simple ]] && cat || tail -n +3; }
done
