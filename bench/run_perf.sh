#!/usr/bin/env bash
# `inferd perf` on the example models over HTTP and gRPC (concurrency 1 and 16), beside the
# in-process ONNX Runtime limit (e2e_bench's baseline, same instances and threads) in one run.
# Writes CSVs and SVG plots under build/release/perf_results/.
# Usage: bench/run_perf.sh [window-ms]
# BASELINE_INFERD=<binary>: also runs that binary's `inferd perf` as the generator against the
# same server, step by step right after ours (A/B of the generator's own cost in one run).
source "$(dirname "$0")/lib.sh"
WINDOW="${1:-2000}"
OUT=build/release/perf_results
mkdir -p "$OUT"
start_server --model-repository examples/model_repository
machine_line
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for model in simple convnet; do
  for protocol in http grpc; do
    url="127.0.0.1:$([[ $protocol == http ]] && echo "$port" || echo "$grpc_port")"
    for generator in "$INFERD" ${BASELINE_INFERD:+"$BASELINE_INFERD"}; do
      tag="$([[ $generator == "$INFERD" ]] && echo "" || echo "_baseline")"
      echo "== $generator perf -m $model -i $protocol --concurrency-range 1:16:15 -p $WINDOW"
      "$generator" perf -m "$model" -i "$protocol" -u "$url" --concurrency-range 1:16:15 \
        -p "$WINDOW" -r 8 -f "$OUT/perf_${model}_${protocol}${tag}.csv" \
        --plot "$OUT/perf_${model}_${protocol}${tag}.svg" |
        grep -E "concurrency|Throughput|p50|p95|p99|CPU|queue"
    done
  done
  echo "== in-process limit (e2e_bench baseline, same instances and threads)"
  "$E2E" --repo examples/model_repository --model "$model" --port "$port" \
    --concurrency 1 --seconds 2 --baseline-batch 1
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
