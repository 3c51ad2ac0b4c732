#!/usr/bin/env bash
# The ResNet-18 latency–throughput curve with `inferd perf`: batch-1 HTTP binary requests over a
# concurrency sweep, 2 CPU instances, dynamic batching off and on (max delay 2 ms), beside the
# in-process ONNX Runtime limit for the same instances (e2e_bench's baseline) in the same run.
# Writes CSVs and SVG plots under build/release/perf_results/.
# Usage: bench/run_resnet_perf.sh [window-ms] [concurrency-range]
source "$(dirname "$0")/lib.sh"
WINDOW="${1:-3000}"
RANGE="${2:-1:64:7}"
OUT=build/release/perf_results
mkdir -p "$OUT"
[[ -f bench/model_repository/resnet18/1/model.onnx ]] || /usr/bin/python3 scripts/make_bench_models.py
repo="$(mktemp -d)"
for variant in nobatch dynbatch; do
  mkdir -p "$repo/resnet18_$variant/1"
  cp "bench/model_repository/resnet18/1/model.onnx" "$repo/resnet18_$variant/1/model.onnx"  # a copy: links out of the repository are refused
  sed "s/name: \"resnet18\"/name: \"resnet18_$variant\"/" bench/model_repository/resnet18/config.pbtxt \
    > "$repo/resnet18_$variant/config.pbtxt"
  echo "instance_group [ { kind: KIND_CPU count: 2 } ]" >> "$repo/resnet18_$variant/config.pbtxt"
  [[ $variant == dynbatch ]] &&
    echo "dynamic_batching { max_queue_delay_microseconds: 2000 }" >> "$repo/resnet18_$variant/config.pbtxt"
done
start_server --model-repository "$repo"
machine_line
for variant in nobatch dynbatch; do
  echo "== inferd perf -m resnet18_$variant --concurrency-range $RANGE -p $WINDOW"
  "$INFERD" perf -m "resnet18_$variant" -u "127.0.0.1:$port" --concurrency-range "$RANGE" \
    -p "$WINDOW" -r 6 -f "$OUT/resnet18_$variant.csv" --plot "$OUT/resnet18_$variant.svg"
done
echo "== in-process limit (e2e_bench baseline, same instances and threads; batch 1 and 8)"
"$E2E" --repo "$repo" --model resnet18_nobatch --port "$port" --concurrency 1 --seconds 3 \
  --baseline-batch 1,8
rm -rf "$repo"
