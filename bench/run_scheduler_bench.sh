#!/usr/bin/env bash
# ResNet-18 (scripts/make_bench_models.py) with and without dynamic batching, 1 and 2 instances,
# batch-1 HTTP binary requests at concurrency 1, 4, 16, 64, beside in-process ONNX Runtime.
# Usage: bench/run_scheduler_bench.sh [seconds-per-case]
source "$(dirname "$0")/lib.sh"
SECS="${1:-5}"
[[ -f bench/model_repository/resnet18/1/model.onnx ]] || /usr/bin/python3 scripts/make_bench_models.py
repo="$(mktemp -d)"
for variant in nobatch_i1 nobatch_i2 dynbatch_i1 dynbatch_i2; do
  mkdir -p "$repo/resnet18_$variant/1"
  cp "bench/model_repository/resnet18/1/model.onnx" "$repo/resnet18_$variant/1/model.onnx"  # a copy: links out of the repository are refused
  count="${variant##*_i}"
  sed "s/name: \"resnet18\"/name: \"resnet18_$variant\"/" bench/model_repository/resnet18/config.pbtxt \
    > "$repo/resnet18_$variant/config.pbtxt"
  echo "instance_group [ { kind: KIND_CPU count: $count } ]" >> "$repo/resnet18_$variant/config.pbtxt"
  [[ $variant == dynbatch* ]] &&
    echo "dynamic_batching { max_queue_delay_microseconds: 2000 }" >> "$repo/resnet18_$variant/config.pbtxt"
done
start_server --model-repository "$repo"
machine_line
for variant in nobatch_i1 nobatch_i2 dynbatch_i1 dynbatch_i2; do
  baseline=1; [[ $variant == nobatch_i1 || $variant == nobatch_i2 ]] && baseline=1,2,4,8
  "$E2E" --repo "$repo" --model "resnet18_$variant" --port "$port" \
    --concurrency 1,4,16,64 --seconds "$SECS" --baseline-batch "$baseline"
done
rm -rf "$repo"
