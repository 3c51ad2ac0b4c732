#!/usr/bin/env bash
# Soak (docs/performance.md): the conv net under closed-loop load from CLIENTS clients (default 4) for MINUTES with a
# reload through the repository API every 30 s; failed requests, reloads, and the server's RSS
# slope over the second half of the run.
# Usage: [CLIENTS=4] bench/run_soak.sh [minutes]
source "$(dirname "$0")/lib.sh"
MINUTES="${1:-30}"
cmake --build --preset bench --target soak_bench >/dev/null
[[ -f examples/model_repository/convnet/1/model.onnx ]] || /usr/bin/python3 scripts/make_models.py
start_server --model-repository examples/model_repository --model-control-mode explicit \
  --load-model convnet
machine_line
./build/release/bench/soak_bench --port "$port" --pid "$server_pid" --model convnet \
  --input INPUT0:1,3,224,224:FP32 --minutes "$MINUTES" --clients "${CLIENTS:-4}"
