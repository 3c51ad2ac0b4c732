#!/usr/bin/env bash
# Lifecycle measurements: model load time vs ORT session creation alone (convnet, and ResNet-18
# when bench/model_repository exists: scripts/make_bench_models.py), then request latency during
# reloads vs steady state on convnet (explicit mode, 4 client threads).
# Usage: bench/run_lifecycle.sh
source "$(dirname "$0")/lib.sh"
cmake --build --preset bench --target model_load_bench reload_gap_bench >/dev/null
machine_line
echo "| model | inferd load (ms) | ORT sessions alone (ms) | ratio |"
echo "|---|---|---|---|"
./build/release/bench/model_load_bench --repo examples/model_repository --model convnet
if [[ -d bench/model_repository/resnet18 ]]; then
  ./build/release/bench/model_load_bench --repo bench/model_repository --model resnet18
fi
start_server --model-repository examples/model_repository --model-control-mode explicit \
  --load-model convnet
echo
echo "| model | window | requests | failed | p50 (us) | p99 (us) | max (us) |"
echo "|---|---|---|---|---|---|---|"
./build/release/bench/reload_gap_bench --port "$port" --model convnet --input INPUT0 \
  --shape 1,3,224,224 --threads 4 --reloads 5 --steady-seconds 5
