#!/usr/bin/env bash
# `simple` and `convnet` over HTTP (binary tensors, keep-alive) at concurrency 1 and 16, beside
# in-process ONNX Runtime with the same instances and threads, in one run.
# Usage: bench/run_e2e.sh [seconds-per-case]
source "$(dirname "$0")/lib.sh"
SECS="${1:-5}"
start_server --model-repository examples/model_repository
machine_line
for model in simple convnet; do
  "$E2E" --repo examples/model_repository --model "$model" --port "$port" \
    --concurrency 1,16 --seconds "$SECS" --baseline-batch 1,8
done
