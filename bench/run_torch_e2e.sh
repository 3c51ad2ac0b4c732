#!/usr/bin/env bash
# ResNet-18 as TorchScript (the libtorch backend) over HTTP (binary tensors, keep-alive) beside
# the same model run in-process through the same backend, same instances and intra-op threads,
# in one run (e2e_bench). Usage: bench/run_torch_e2e.sh [seconds-per-case] [intra-op-threads]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}"
THREADS="${2:-2}"
[[ -f bench/model_repository/resnet18_torch/1/model.pt ]] || /usr/bin/python3 scripts/make_bench_models.py
repo="$(mktemp -d)"
mkdir -p "$repo/resnet18_torch/1"
cp bench/model_repository/resnet18_torch/1/model.pt "$repo/resnet18_torch/1/model.pt"  # links are refused
{
  cat bench/model_repository/resnet18_torch/config.pbtxt
  echo "instance_group [ { kind: KIND_CPU count: 1 } ]"
  echo "parameters { key: \"INTRA_OP_THREAD_COUNT\" value { string_value: \"$THREADS\" } }"
} > "$repo/resnet18_torch/config.pbtxt"
start_server --model-repository "$repo"
machine_line
"$E2E" --repo "$repo" --model resnet18_torch --port "$port" --concurrency 1,2 --seconds "$SECS" \
  --baseline-batch 1,8
rm -rf "$repo"
