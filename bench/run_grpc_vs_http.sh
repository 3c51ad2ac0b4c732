#!/usr/bin/env bash
# `simple` and `convnet` over gRPC (raw contents) vs HTTP (binary tensors) at concurrency 1 and 16
# against one server, in one run. Usage: bench/run_grpc_vs_http.sh [seconds-per-case]
source "$(dirname "$0")/lib.sh"
cmake --build --preset bench --target grpc_e2e_bench >/dev/null
SECS="${1:-5}"
start_server --model-repository examples/model_repository
machine_line
./build/release/bench/grpc_e2e_bench --http-port "$port" --grpc-port "$grpc_port" \
  --models simple,convnet --concurrency 1,16 --seconds "$SECS"
